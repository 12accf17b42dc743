using System.Collections.Concurrent;

namespace PbxRouter.Calls.Engine;

/// <summary>What happened to one call, as the engine saw it: the events handled and the steps taken.</summary>
public sealed class CallTrace(string callId, string calledNumber, string callerNumber, DateTimeOffset startedAt)
{
    /// <summary>Events and steps kept per call at most: a DTMF flood must not grow a call's trace without bound.</summary>
    public const int MaxEntries = 1000;

    private readonly List<string> _events = [];
    private readonly List<string> _steps = [];
    private readonly List<string> _media = [];

    public string CallId { get; } = callId;
    public string CalledNumber { get; } = calledNumber;
    public string CallerNumber { get; } = callerNumber;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public DateTimeOffset? EndedAt { get; private set; }
    /// <summary>How the call ended: greeted, caller-hung-up, fallback, lost-while-disconnected, failed.</summary>
    public string? Outcome { get; private set; }

    public IReadOnlyList<string> Events { get { lock (_events) return [.. _events]; } }
    public IReadOnlyList<string> Steps { get { lock (_steps) return [.. _steps]; } }
    /// <summary>The media URI of each playback Asterisk started on the call (PlaybackStarted), in order.</summary>
    public IReadOnlyList<string> Media { get { lock (_media) return [.. _media]; } }

    /// <summary>Events and steps not kept because the trace was full.</summary>
    public int Omitted => _omitted;
    private int _omitted;

    internal void Saw(string eventType) => Keep(_events, eventType);
    internal void Step(string step) => Keep(_steps, step);
    internal void Played(string mediaUri) => Keep(_media, mediaUri);

    private void Keep(List<string> list, string entry)
    {
        lock (list)
        {
            if (list.Count < MaxEntries) list.Add(entry);
            else Interlocked.Increment(ref _omitted);
        }
    }
    internal void End(string outcome, DateTimeOffset at) { Outcome ??= outcome; EndedAt ??= at; }
}

/// <summary>Recent calls in memory (bounded), for status output and for tests that assert what the engine saw.</summary>
public sealed class CallJournal(EngineOptions options)
{
    private readonly ConcurrentDictionary<string, CallTrace> _active = new();
    private readonly ConcurrentQueue<CallTrace> _finished = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CallTrace Start(string callId, string called, string caller, DateTimeOffset at)
    {
        var trace = _active.GetOrAdd(callId, id => new CallTrace(id, called, caller, at));
        Signal();
        return trace;
    }

    public void Finish(CallTrace trace, string outcome, DateTimeOffset at)
    {
        trace.End(outcome, at);
        if (!_active.TryRemove(trace.CallId, out _)) return;
        _finished.Enqueue(trace);
        while (_finished.Count > options.JournalSize && _finished.TryDequeue(out _)) { }
        Signal();
    }

    public IReadOnlyList<CallTrace> Active => [.. _active.Values];
    public IReadOnlyList<CallTrace> Finished => [.. _finished];

    /// <summary>Waits until a finished call matches (tests and the demo use it instead of sleeping).</summary>
    public async Task<CallTrace> WaitForFinishedAsync(Func<CallTrace, bool> match, CancellationToken ct)
    {
        while (true)
        {
            var changed = _changed.Task;
            var found = _finished.FirstOrDefault(match);
            if (found is not null) return found;
            await changed.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private void Signal() => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
