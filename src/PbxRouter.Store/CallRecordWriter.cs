using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace PbxRouter.Store;

/// <summary>
/// The single writer of call records, off the calls' path: calls enqueue (stamped at enqueue time, never blocking, never
/// throwing for a store problem) and one background loop writes up to 500 queued records per transaction. A batch that
/// fails (database locked by another writer, disk full, I/O error) is retried 6 times with exponential backoff (Polly, 0.5 s
/// doubling up to 10 s, jittered: about 25 s, plus the 5 s busy wait of each attempt when locked) while new writes keep
/// queuing, then dropped and reported. When the queue is full, new writes are dropped and
/// reported at most once per <see cref="DropReportInterval"/>. A failed transaction changes nothing already stored.
/// Dispose drains the queue, so a graceful shutdown loses nothing the database accepts.
/// </summary>
public sealed class CallRecordWriter : IAsyncDisposable
{
    private const int MaxBatch = 500;

    /// <summary>Shortest time between two reports of writes dropped because the queue was full.</summary>
    public static readonly TimeSpan DropReportInterval = TimeSpan.FromSeconds(10);

    private readonly StoreDatabase _db;
    private readonly TimeProvider _time;
    private readonly Action<StoreException>? _onError;
    private readonly ILogger _log;
    private readonly Channel<Pending> _queue;
    private readonly ResiliencePipeline _retry;
    private readonly Lock _dropLock = new();
    private readonly Task _loop;
    private readonly int _capacity;
    private long _failedWrites, _droppedWrites, _unreportedDrops;
    private long? _lastDropReport;

    /// <param name="capacity">Queued writes beyond which new writes are dropped (and reported) instead of waiting.</param>
    /// <param name="onError">Told about writes that could not be stored (a step for an unknown call id, a batch given up, drops).</param>
    /// <param name="logger">Warnings for each retry of a failing batch.</param>
    /// <param name="retryDelay">First retry delay (doubling, jittered, at most 10 s); 6 retries.</param>
    public CallRecordWriter(StoreDatabase db, TimeProvider time, int capacity = 10_000, Action<StoreException>? onError = null,
        ILogger? logger = null, TimeSpan? retryDelay = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _db = db;
        _time = time;
        _onError = onError;
        _log = logger ?? NullLogger.Instance;
        _capacity = capacity;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // only FlushAsync waits; writes use TryWrite
        });
        _retry = new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = retryDelay ?? TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(10),
            MaxRetryAttempts = 6,
            OnRetry = args =>
            {
                _log.LogWarning("Call records not written yet ({Error}); retry {Attempt} of 6 in {Delay:0} ms",
                    Describe(args.Outcome.Exception), args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        }).Build();
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Writes that were given up after failing (each reported to onError).</summary>
    public long FailedWrites => Interlocked.Read(ref _failedWrites);

    /// <summary>Writes dropped because the queue was full or the writer stopped (reported to onError, rate-limited).</summary>
    public long DroppedWrites => Interlocked.Read(ref _droppedWrites);

    /// <summary>Told about each write as it is queued (live call events); null: nobody.</summary>
    public ICallRecordListener? Listener { get; init; }

    /// <summary>Queues the creation of a call record.</summary>
    public ValueTask StartCallAsync(CallRecordStart s, CancellationToken ct = default)
    {
        CallRecordRepository.ValidateStart(s);
        Listener?.Started(s, resumed: false);
        return Enqueue(statements => statements.Start(s));
    }

    /// <summary>Queues the record of a call taken over after an engine restart: created only if the previous engine had not written it.</summary>
    public ValueTask ResumeCallAsync(CallRecordStart s, CancellationToken ct = default)
    {
        CallRecordRepository.ValidateStart(s);
        Listener?.Started(s, resumed: true);
        return Enqueue(statements => statements.Resume(s));
    }

    /// <summary>Queues a step stamped with the current time.</summary>
    public ValueTask AddStepAsync(string callId, string kind, string? target, string? detail, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callId);
        CallStepKinds.Validate(kind);
        var at = _time.GetUtcNow();
        Listener?.Step(callId, at, kind, target, detail);
        return Enqueue(statements => statements.Step(callId, at, kind, target, detail));
    }

    /// <summary>Queues the end of a call stamped with the current time.</summary>
    public ValueTask EndCallAsync(string callId, string outcome, string? answeredBy, string? hungUpBy, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callId);
        CallOutcomes.Validate(outcome);
        var at = _time.GetUtcNow();
        Listener?.Ended(callId, at, outcome, answeredBy, hungUpBy);
        return Enqueue(statements => statements.End(callId, at, outcome, answeredBy, hungUpBy));
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
        ReportDrops(final: true);
    }

    private ValueTask Enqueue(Action<CallRecordStatements> write)
    {
        if (!_queue.Writer.TryWrite(new Pending(write, null)))
        {
            Interlocked.Increment(ref _droppedWrites);
            lock (_dropLock) _unreportedDrops++;
            ReportDrops(final: false);
        }
        return ValueTask.CompletedTask;
    }

    private void ReportDrops(bool final)
    {
        long dropped;
        lock (_dropLock)
        {
            var now = _time.GetTimestamp();
            if (_unreportedDrops == 0 || (!final && _lastDropReport is { } last && _time.GetElapsedTime(last, now) < DropReportInterval)) return;
            (dropped, _unreportedDrops, _lastDropReport) = (_unreportedDrops, 0, now);
        }
        Report(new StoreException(_queue.Reader.Completion.IsCompleted
            ? $"{dropped} call record writes dropped: the writer is stopped"
            : $"{dropped} call record writes dropped: {_capacity} writes already wait for database {_db.Path}"), 0);
    }

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
        if (!batch.Any(p => p.Write is not null)) return;
        try
        {
            var rejected = await _retry.ExecuteAsync(_ => ValueTask.FromResult(WriteBatch(batch)));
            foreach (var one in rejected)
                Report(one, 1);
        }
        catch (Exception e)
        {
            var lost = batch.Count(p => p.Write is not null);
            Report(new StoreException($"{lost} call record writes were lost: {Describe(e)}", e), lost);
        }
    }

    private string Describe(Exception? e) => e is SqliteException sqlite ? _db.Translate(sqlite).Message : e?.Message ?? "unknown error";

    /// <summary>Writes the batch in one transaction; returns the writes rejected one by one (the others are committed).</summary>
    private List<StoreException> WriteBatch(List<Pending> batch)
    {
        var rejected = new List<StoreException>();
        var started = _time.GetTimestamp();
        var finished = _db.Observer is null ? null : new List<(string? Practice, string Outcome)>();
        using var connection = _db.Open();
        using var tx = connection.BeginTransaction();
        using var statements = new CallRecordStatements(connection, tx);
        foreach (var write in batch.Select(p => p.Write).OfType<Action<CallRecordStatements>>())
        {
            // A failed statement is rolled back alone in SQLite; the rest of the batch stays in the transaction.
            statements.LastEnded = null;
            try
            {
                write(statements);
                if (finished is not null && statements.LastEnded is { } ended) finished.Add(ended);
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
        if (_db.Observer is { } observer)
        {
            observer.Wrote("call_records", _time.GetElapsedTime(started));
            foreach (var (practice, outcome) in finished!) observer.CallFinished(practice, outcome);
        }
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
