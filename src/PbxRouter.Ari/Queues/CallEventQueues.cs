using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari.Events;

namespace PbxRouter.Ari;

/// <summary>One ordered event queue per call: events of a call are handled one at a time and in order,
/// different calls in parallel. A call's channels (caller and outgoing legs) are tied to it with <see cref="Link"/>.
/// A call that reads its events itself <see cref="Attach"/>es its own inbox: its events then go straight there, in order.</summary>
public sealed partial class CallEventQueues : IAsyncDisposable
{
    /// <summary>Key of events that concern no channel or linked bridge (device states, endpoints...).</summary>
    public const string GlobalKey = "";

    private readonly Func<string, AriEvent, CancellationToken, ValueTask> _handler;
    private readonly ILogger _log;
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, KeyQueue> _queues = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private long _posted, _handled, _failures, _droppedDtmf;

    /// <summary>Shortest time between two warnings about DTMF dropped on one call.</summary>
    public static readonly TimeSpan DropLogInterval = TimeSpan.FromSeconds(10);

    public CallEventQueues(Func<AriEvent, CancellationToken, ValueTask> handler, ILogger logger, int capacityPerCall = 256, TimeProvider? time = null)
        : this((_, e, ct) => handler(e, ct), logger, capacityPerCall, time)
    {
    }

    /// <summary>As above, the handler also receiving the call key the event was queued under (aliases may be gone by then).</summary>
    public CallEventQueues(Func<string, AriEvent, CancellationToken, ValueTask> handler, ILogger logger, int capacityPerCall = 256,
        TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityPerCall, 1);
        _handler = handler;
        _log = logger;
        _capacity = capacityPerCall;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Counters for metrics.</summary>
    public CallEventQueueCounters Counters => new(
        Interlocked.Read(ref _posted), Interlocked.Read(ref _handled), Interlocked.Read(ref _failures),
        Interlocked.Read(ref _droppedDtmf), _queues.Count);

    /// <summary>Routes the events of <paramref name="channelId"/> (or of a bridge id) to the queue of <paramref name="callKey"/>.</summary>
    public void Link(string channelId, string callKey)
    {
        if (channelId != callKey) _aliases[channelId] = callKey;
    }

    /// <summary>The channel's events go to its own queue again.</summary>
    public void Unlink(string channelId) => _aliases.TryRemove(channelId, out _);

    /// <summary>
    /// From now on the events of <paramref name="callKey"/> (and of the channels and bridges linked to it) are passed to
    /// <paramref name="deliver"/> as they are posted, in order, instead of to the handler: the call's own inbox is then its
    /// only queue. Events already queued for the key are passed first. <paramref name="deliver"/> must not block.
    /// </summary>
    public void Attach(string callKey, Action<AriEvent> deliver)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        while (true)
        {
            var q = _queues.GetOrAdd(callKey, static _ => new KeyQueue());
            lock (q)
            {
                if (q.Removed) continue;
                q.Inbox = deliver;
                while (q.Items.TryDequeue(out var queued))
                {
                    deliver(queued);
                    Interlocked.Increment(ref _handled);
                }
                return;
            }
        }
    }

    /// <summary>The call is over: its aliases and its inbox are removed. Its queue disappears once drained (every queue does).</summary>
    public void Complete(string callKey)
    {
        foreach (var alias in _aliases)
        {
            if (alias.Value == callKey) _aliases.TryRemove(alias);
        }
        if (!_queues.TryGetValue(callKey, out var q)) return;
        lock (q)
        {
            q.Inbox = null;
            if (q.Running || q.Items.Count > 0) return;
            q.Removed = true;
            _queues.TryRemove(new KeyValuePair<string, KeyQueue>(callKey, q));
        }
    }

    /// <summary>The key an event is queued under: the first linked channel or bridge id, else its first channel id.</summary>
    public string KeyOf(AriEvent e)
    {
        string? first = null;
        foreach (var id in e.ChannelIds)
        {
            if (_aliases.TryGetValue(id, out var key)) return key;
            first ??= id;
        }
        var bridgeId = e.BridgeId;
        if (bridgeId is not null && _aliases.TryGetValue(bridgeId, out var bridgeKey)) return bridgeKey;
        return first ?? bridgeId ?? GlobalKey;
    }

    /// <summary>Queues an event without waiting. Never blocks: safe to call from the WebSocket reading loop.</summary>
    public void Post(AriEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string key = KeyOf(e);
        Interlocked.Increment(ref _posted);
        // A destroyed channel or bridge sends nothing more: forget its alias so aliases do not pile up.
        if (e is ChannelDestroyed { Channel: { } gone }) Unlink(gone.Id);
        else if (e is BridgeDestroyed { Bridge: { } bridge }) Unlink(bridge.Id);

        while (true)
        {
            var q = _queues.GetOrAdd(key, static _ => new KeyQueue());
            bool start;
            lock (q)
            {
                if (q.Removed) continue; // its worker just drained and removed it: use a fresh one
                if (q.Inbox is { } inbox)
                {
                    // Under the queue's lock, so that nothing passes an event the attach was still handing over.
                    inbox(e);
                    Interlocked.Increment(ref _handled);
                    return;
                }
                if (q.Items.Count >= _capacity && e is ChannelDtmfReceived)
                {
                    Interlocked.Increment(ref _droppedDtmf);
                    q.DroppedSinceLog++;
                    // One warning per burst, and at most one per DropLogInterval when bursts follow each other.
                    var now = _time.GetTimestamp();
                    if (!q.DroppingDtmf && (q.LastDropLog is not { } last || _time.GetElapsedTime(last, now) >= DropLogInterval))
                    {
                        LogDtmfDropped(key, _capacity, q.DroppedSinceLog);
                        (q.DroppedSinceLog, q.LastDropLog) = (0, now);
                    }
                    q.DroppingDtmf = true;
                    return;
                }
                if (e is ChannelDtmfReceived) q.DroppingDtmf = false;
                // Lifecycle events are queued even beyond the capacity: losing a hang-up would leak the call.
                q.Items.Enqueue(e);
                start = !q.Running;
                q.Running = true;
            }
            if (start) q.Worker = Task.Run(() => RunAsync(key, q));
            return;
        }
    }

    /// <summary>Waits until every queue is drained (events posted meanwhile included).</summary>
    public async Task DrainAsync(CancellationToken ct = default)
    {
        while (true)
        {
            // An attached call's idle queue only carries its inbox: nothing to drain there.
            var pending = _queues.Values.Where(q => { lock (q) return q.Inbox is null || q.Running || q.Items.Count > 0; }).ToArray();
            if (pending.Length == 0) return;
            var workers = pending.Select(q => q.Worker).OfType<Task>().ToArray();
            if (workers.Length == 0) await Task.Yield();
            else await Task.WhenAll(workers).WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(string key, KeyQueue q)
    {
        var ct = _stopping.Token;
        while (true)
        {
            AriEvent e;
            lock (q)
            {
                if (!q.Items.TryDequeue(out e!))
                {
                    q.Running = false;
                    // An attached call keeps its queue: it carries the call's inbox.
                    if (q.Inbox is not null) return;
                    q.Removed = true;
                    _queues.TryRemove(new KeyValuePair<string, KeyQueue>(key, q));
                    return;
                }
            }
            try
            {
                await _handler(key, e, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Stopping.
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _failures);
                LogHandlerFailed(ex, key, e.Type);
            }
            Interlocked.Increment(ref _handled);
        }
    }

    /// <summary>Cancels the token given to handlers and waits for the running ones to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await DrainAsync().ConfigureAwait(false);
        }
        finally
        {
            _stopping.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Event handler failed for call {Key} on {Type}; continuing with the next event")]
    private partial void LogHandlerFailed(Exception error, string key, string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Key}: queue full ({Capacity} events), dropping DTMF until it drains ({Dropped} dropped since the last warning)")]
    private partial void LogDtmfDropped(string key, int capacity, long dropped);

    private sealed class KeyQueue
    {
        public readonly Queue<AriEvent> Items = new();
        public bool Running;
        public bool Removed;
        public bool DroppingDtmf;
        public long DroppedSinceLog;
        public long? LastDropLog;
        public Task? Worker;
        public Action<AriEvent>? Inbox;
    }
}

/// <summary>Totals of a <see cref="CallEventQueues"/>, for metrics.</summary>
/// <param name="Posted">Events posted.</param>
/// <param name="Handled">Events handled (successfully or not).</param>
/// <param name="HandlerFailures">Handler calls that threw.</param>
/// <param name="DroppedDtmf">DTMF events dropped because their call's queue was full.</param>
/// <param name="ActiveQueues">Queues with events pending or being handled now.</param>
public sealed record CallEventQueueCounters(long Posted, long Handled, long HandlerFailures, long DroppedDtmf, int ActiveQueues);
