using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace PbxRouter.Store;

/// <summary>
/// The single writer of call records: calls enqueue (cheap, stamped at enqueue time) and one background loop
/// writes up to 500 queued records per transaction. Dispose drains the queue, so a graceful shutdown loses nothing.
/// </summary>
public sealed class CallRecordWriter : IAsyncDisposable
{
    private const int MaxBatch = 500;
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)];

    private readonly StoreDatabase _db;
    private readonly TimeProvider _time;
    private readonly Action<StoreException>? _onError;
    private readonly Channel<Pending> _queue;
    private readonly Task _loop;
    private long _failedWrites;

    /// <param name="capacity">Queued writes before enqueuing waits (back-pressure instead of loss).</param>
    /// <param name="onError">Told about each write that could not be stored (e.g. a step for an unknown call id).</param>
    public CallRecordWriter(StoreDatabase db, TimeProvider time, int capacity = 10_000, Action<StoreException>? onError = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _db = db;
        _time = time;
        _onError = onError;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Writes that were dropped because they failed; each was reported to onError.</summary>
    public long FailedWrites => Interlocked.Read(ref _failedWrites);

    /// <summary>Queues the creation of a call record.</summary>
    public ValueTask StartCallAsync(CallRecordStart s, CancellationToken ct = default)
    {
        CallRecordRepository.ValidateStart(s);
        return Enqueue(statements => statements.Start(s), ct);
    }

    /// <summary>Queues a step stamped with the current time.</summary>
    public ValueTask AddStepAsync(string callId, string kind, string? target, string? detail, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callId);
        CallStepKinds.Validate(kind);
        var at = _time.GetUtcNow();
        return Enqueue(statements => statements.Step(callId, at, kind, target, detail), ct);
    }

    /// <summary>Queues the end of a call stamped with the current time.</summary>
    public ValueTask EndCallAsync(string callId, string outcome, string? answeredBy, string? hungUpBy, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callId);
        CallOutcomes.Validate(outcome);
        var at = _time.GetUtcNow();
        return Enqueue(statements => statements.End(callId, at, outcome, answeredBy, hungUpBy), ct);
    }

    /// <summary>Completes once everything queued before this call is committed (or reported as failed).</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new Pending(null, flushed), ct);
        await flushed.Task.WaitAsync(ct);
    }

    /// <summary>Stops accepting writes and waits until the queue is written.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private ValueTask Enqueue(Action<CallRecordStatements> write, CancellationToken ct) =>
        _queue.Writer.WriteAsync(new Pending(write, null), ct);

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(MaxBatch);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var pending))
                batch.Add(pending);
            await WriteBatchWithRetryAsync(batch);
            foreach (var pending in batch)
                pending.Flushed?.TrySetResult();
        }
    }

    private async Task WriteBatchWithRetryAsync(List<Pending> batch)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                foreach (var rejected in WriteBatch(batch))
                    Report(rejected, 1);
                return;
            }
            catch (Exception e)
            {
                if (attempt < RetryDelays.Length)
                {
                    await Task.Delay(RetryDelays[attempt]);
                    continue;
                }
                var reason = e is SqliteException sqlite ? _db.Translate(sqlite).Message : e.Message;
                var lost = batch.Count(p => p.Write is not null);
                Report(new StoreException($"{lost} call record writes were lost: {reason}", e), lost);
                return;
            }
        }
    }

    /// <summary>Writes the batch in one transaction; returns the writes rejected one by one (the others are committed).</summary>
    private List<StoreException> WriteBatch(List<Pending> batch)
    {
        var rejected = new List<StoreException>();
        using var connection = _db.Open();
        using var tx = connection.BeginTransaction();
        using var statements = new CallRecordStatements(connection, tx);
        foreach (var write in batch.Select(p => p.Write).OfType<Action<CallRecordStatements>>())
        {
            // A failed statement is rolled back alone in SQLite; the rest of the batch stays in the transaction.
            try
            {
                write(statements);
            }
            catch (StoreException e)
            {
                rejected.Add(e);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19)
            {
                rejected.Add(_db.Translate(e));
            }
        }
        tx.Commit();
        return rejected;
    }

    private void Report(StoreException e, int count)
    {
        Interlocked.Add(ref _failedWrites, count);
        try
        {
            _onError?.Invoke(e);
        }
        catch
        {
            // a faulty error handler must not stop the writer loop
        }
    }

    private readonly record struct Pending(Action<CallRecordStatements>? Write, TaskCompletionSource? Flushed);
}
