using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Ari.Events;

namespace PbxRouter.Calls.Runtime;

/// <summary>
/// A call's one ordered inbox: the call's event queue posts (CallEventQueues.Attach), the call's flow takes. A flow
/// waiting for one kind of event takes the first that matches and leaves the others, in order, for its next read: a key
/// pressed during a prompt, or a playback that ended during a ring, is still there afterwards.
/// Bounded for DTMF: once <see cref="Capacity"/> events wait unread, further DTMF digits are dropped (a caller's
/// RFC 4733 flood cannot grow memory nor keep the flow busy), while lifecycle events (hang-ups, StasisEnd, Dial,
/// PlaybackFinished...) are always queued: losing one would leave a call or a leg behind. Drops are counted and
/// reported at most once per <see cref="ReportInterval"/> (one log line per burst, not one per digit).
/// </summary>
public sealed partial class CallInbox
{
    public const int DefaultCapacity = 256;

    /// <summary>Shortest time between two reports of dropped digits.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);

    private readonly LinkedList<AriEvent> _pending = new();
    private readonly Lock _lock = new();
    private readonly string _callId;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _dtmfPosted, _dtmfDropped, _unreported;
    private long? _lastReport;

    public CallInbox(string callId = "", ILogger? logger = null, TimeProvider? time = null, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _callId = callId;
        _log = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        Capacity = capacity;
    }

    /// <summary>Unread events beyond which DTMF digits are dropped.</summary>
    public int Capacity { get; }

    /// <summary>Told, at most once per <see cref="ReportInterval"/> and at <see cref="ReportDrops"/>, how many digits were dropped since the last report.</summary>
    public Action<DtmfDropReport>? OnDropped { get; set; }

    /// <summary>DTMF digits posted (kept or dropped).</summary>
    public long DtmfPosted => Interlocked.Read(ref _dtmfPosted);

    /// <summary>DTMF digits dropped because the inbox was full.</summary>
    public long DtmfDropped => Interlocked.Read(ref _dtmfDropped);

    /// <summary>Events waiting to be read.</summary>
    public int Pending
    {
        get { lock (_lock) return _pending.Count; }
    }

    /// <summary>Queues an event; false when it was a DTMF digit dropped because the inbox is full. Never blocks.</summary>
    public bool Post(AriEvent e)
    {
        DtmfDropReport? report = null;
        TaskCompletionSource? arrived = null;
        lock (_lock)
        {
            if (e is ChannelDtmfReceived) _dtmfPosted++;
            if (e is ChannelDtmfReceived && _pending.Count >= Capacity)
            {
                _dtmfDropped++;
                _unreported++;
                report = DueReport(final: false);
            }
            else
            {
                _pending.AddLast(e);
                (arrived, _arrived) = (_arrived, new(TaskCreationOptions.RunContinuationsAsynchronously));
            }
        }
        if (report is { } due) Report(due);
        arrived?.TrySetResult();
        return arrived is not null;
    }

    /// <summary>Reports the digits dropped since the last report, if any (at the end of the call).</summary>
    public void ReportDrops()
    {
        DtmfDropReport? report;
        lock (_lock) report = DueReport(final: true);
        if (report is { } due) Report(due);
    }

    /// <summary>The next event, or null when <paramref name="timeout"/> passes first.</summary>
    public Task<AriEvent?> NextAsync(TimeSpan timeout, CancellationToken ct) => TakeAsync(static _ => true, timeout, ct);

    /// <summary>
    /// The first waiting or arriving event that matches, or null when <paramref name="timeout"/> (on the injected clock)
    /// passes first; the events it skips stay in the inbox, in order. Cancelling <paramref name="ct"/> takes nothing.
    /// A completed <paramref name="wake"/> ends the wait the same way as the timeout: null, nothing taken, no exception
    /// (a caller waiting in a queue is woken this way at every change of the line, which is hot).
    /// </summary>
    public async Task<AriEvent?> TakeAsync(Func<AriEvent, bool> match, TimeSpan timeout, CancellationToken ct, Task? wake = null)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            Task arrived;
            lock (_lock)
            {
                for (var node = _pending.First; node is not null; node = node.Next)
                {
                    if (!match(node.Value)) continue;
                    _pending.Remove(node);
                    return node.Value;
                }
                arrived = _arrived.Task;
            }
            var left = timeout - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || wake is { IsCompleted: true }) return null;
            // No exception for a wait that times out (a caller on hold waits in short slices, so this is hot): the loop
            // sees the time left, the arrival or the wake; a cancelled ct still throws, as before.
            await (wake is null ? arrived : Task.WhenAny(arrived, wake)).WaitAsync(left, _time, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ct.ThrowIfCancellationRequested();
        }
    }

    private DtmfDropReport? DueReport(bool final)
    {
        if (_unreported == 0) return null;
        var now = _time.GetTimestamp();
        if (!final && _lastReport is { } last && _time.GetElapsedTime(last, now) < ReportInterval) return null;
        _lastReport = now;
        var report = new DtmfDropReport(_unreported, _dtmfDropped, _dtmfPosted);
        _unreported = 0;
        return report;
    }

    private void Report(DtmfDropReport report)
    {
        LogDropped(_callId, Capacity, report.Dropped, report.TotalDropped, report.TotalPosted);
        OnDropped?.Invoke(report);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Call {CallId}: DTMF flood: inbox full ({Capacity} events unread), {Dropped} digits dropped (total {TotalDropped} of {TotalPosted} received)")]
    private partial void LogDropped(string callId, int capacity, long dropped, long totalDropped, long totalPosted);
}

/// <summary>Digits dropped since the previous report, and the totals of the call so far.</summary>
public readonly record struct DtmfDropReport(long Dropped, long TotalDropped, long TotalPosted);
