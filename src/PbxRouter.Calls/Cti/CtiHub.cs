using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using PbxRouter.Store;

namespace PbxRouter.Calls.Cti;

/// <summary>
/// Turns the call records' writes into live call events and hands each to every consumer that may see it. Publishing takes
/// one short lock (sequence, backlog, one non-blocking offer per consumer) so the events of one call reach every consumer in
/// order; a slow consumer loses events (and gets a gap marker), never the call its time. Calls of no practice are not published.
/// </summary>
public sealed partial class CtiHub : ICallRecordListener
{
    private readonly CtiOptions _options;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, CallState> _calls = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly Queue<CtiEvent> _backlog = new();
    private CtiSubscription[] _consumers = [];
    private long _position;
    private int _overflowLogged;

    public CtiHub(CtiOptions options, ILogger<CtiHub> log)
    {
        _options = options;
        _log = log;
    }

    /// <summary>Names this engine run in event ids, so a Last-Event-ID of an earlier run is recognised as such.</summary>
    public string RunId { get; } = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4));

    /// <summary>The SSE id of an event: RUN-POSITION.</summary>
    public string IdOf(CtiEvent e) => $"{RunId}-{e.Position.ToString(CultureInfo.InvariantCulture)}";

    public int Consumers => Volatile.Read(ref _consumers).Length;

    /// <summary>
    /// A new consumer. With <paramref name="lastEventId"/> (a reconnect), the backlog's later events it may see come first;
    /// when that id is not in the backlog (older, or of an earlier engine run) it first reads a "resume" gap marker.
    /// </summary>
    public CtiSubscription Subscribe(CtiAudience audience, string? lastEventId = null)
    {
        var sub = new CtiSubscription(audience, _options.ConsumerBuffer, Leave);
        lock (_lock)
        {
            if (!string.IsNullOrEmpty(lastEventId)) Replay(sub, lastEventId);
            _consumers = [.. _consumers, sub];
        }
        return sub;
    }

    private void Replay(CtiSubscription sub, string lastEventId)
    {
        var dash = lastEventId.LastIndexOf('-');
        var sameRun = dash > 0 && lastEventId[..dash] == RunId;
        if (!sameRun || !long.TryParse(lastEventId[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var last) || last > _position)
        {
            sub.StartWith(CtiDelivery.ResumeGap(null));
            return;
        }
        var oldest = _backlog.Count == 0 ? _position + 1 : _backlog.Peek().Position;
        if (last + 1 < oldest) sub.StartWith(CtiDelivery.ResumeGap(oldest - last - 1));
        foreach (var e in _backlog)
            if (e.Position > last && sub.Audience.Sees(e.Practice)) sub.Offer(e);
    }

    private void Leave(CtiSubscription sub)
    {
        lock (_lock) _consumers = [.. _consumers.Where(s => s != sub)];
    }

    public void Started(CallRecordStart start, bool resumed)
    {
        if (start.PracticeId is null) return;
        if (_calls.Count >= _options.MaxCalls)
        {
            if (Interlocked.Exchange(ref _overflowLogged, 1) == 0) LogTooManyCalls(_options.MaxCalls);
            return;
        }
        var caller = start.CallerWithheld || string.IsNullOrEmpty(start.CallerNumber) ? null : start.CallerNumber;
        // A call taken over after a restart continues its numbering after the previous run's events (at most 1000 of them).
        _calls.TryAdd(start.CallId, new CallState(start.PracticeId, start.CalledNumber, caller, start.CallerWithheld, resumed ? 1000 : 0));
    }

    public void Step(string callId, DateTimeOffset at, string kind, string? target, string? detail)
    {
        if (!_calls.TryGetValue(callId, out var call)) return;
        CtiEvent? e = kind switch
        {
            CallStepKinds.Ringing when target is not null => new CallRinging
            {
                CallId = callId, Practice = call.Practice, Sequence = 0, At = at, Called = call.Called, Phone = target,
                Reason = RingingReason(detail), Queue = RingingReason(detail) == "queue" ? detail : null,
            },
            CallStepKinds.Answered when target is not null => new CallAnswered
            {
                CallId = callId, Practice = call.Practice, Sequence = 0, At = at, Called = call.Called, By = target,
            },
            CallStepKinds.Overflowed when target is not null => new CallAnswered
            {
                CallId = callId, Practice = call.Practice, Sequence = 0, At = at, Called = call.Called, By = target,
            },
            CallStepKinds.Transferred when target is not null => new CallTransferred
            {
                CallId = callId, Practice = call.Practice, Sequence = 0, At = at, Called = call.Called, To = target,
                Kind = detail?.StartsWith("blind", StringComparison.Ordinal) == true ? "blind" : detail?.StartsWith("attended", StringComparison.Ordinal) == true ? "attended" : null,
            },
            CallStepKinds.Voicemail when target is not null => Voicemail(callId, call, at, target, detail),
            _ => null,
        };
        if (e is not null) Publish(call, e);
    }

    public void Ended(string callId, DateTimeOffset at, string outcome, string? answeredBy, string? hungUpBy)
    {
        if (!_calls.TryRemove(callId, out var call)) return;
        Publish(call, new CallEnded
        {
            CallId = callId, Practice = call.Practice, Sequence = 0, At = at, Called = call.Called, Outcome = outcome,
            AnsweredBy = answeredBy, HungUpBy = hungUpBy,
        });
    }

    private void Publish(CallState call, CtiEvent e)
    {
        lock (_lock)
        {
            e = e with
            {
                Position = ++_position, Sequence = ++call.Sequence, Caller = call.Caller, CallerWithheld = call.Withheld,
                CallerMasked = call.Caller is null ? null : PhoneNumberMask.Mask(call.Caller),
            };
            if (_options.Backlog > 0)
            {
                _backlog.Enqueue(e);
                while (_backlog.Count > _options.Backlog) _backlog.Dequeue();
            }
            foreach (var consumer in _consumers)
                if (consumer.Audience.Sees(e.Practice)) consumer.Offer(e);
        }
    }

    private static string RingingReason(string? detail) => detail switch
    {
        null => "call",
        "overflow" => "overflow",
        _ when detail.StartsWith("transfer by", StringComparison.Ordinal) => "transfer",
        _ => "queue",
    };

    /// <summary>Only the step of a message stored ("message ID, N s", see VoicemailExecutor); "recording" steps have no box.</summary>
    private static VoicemailLeft Voicemail(string callId, CallState call, DateTimeOffset at, string box, string? detail)
    {
        var m = detail is null ? null : MessageDetail().Match(detail);
        return new VoicemailLeft
        {
            CallId = callId, Practice = call.Practice, Sequence = 0, At = at, Called = call.Called, Box = box,
            MessageId = m is { Success: true } ? m.Groups[1].Value : null,
            DurationSeconds = m is { Success: true } && int.TryParse(m.Groups[2].Value, CultureInfo.InvariantCulture, out var s) ? s : null,
        };
    }

    [GeneratedRegex(@"^message (\S+), (\d+) s$")]
    private static partial Regex MessageDetail();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live call events: more than {MaxCalls} calls at once, new calls are not published (Cti:MaxCalls)")]
    private partial void LogTooManyCalls(int maxCalls);

    private sealed class CallState(string practice, string called, string? caller, bool withheld, int sequence)
    {
        public string Practice { get; } = practice;
        public string Called { get; } = called;
        public string? Caller { get; } = caller;
        public bool Withheld { get; } = withheld;
        /// <summary>Only changed under the hub's lock.</summary>
        public int Sequence = sequence;
    }
}
