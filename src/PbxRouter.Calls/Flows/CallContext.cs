using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Engine;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows;

/// <summary>
/// One call in progress as the step executors see it: the caller's channel, the plan it follows,
/// and its own ordered inbox of ARI events (fed by CallEventQueues, read by the flow).
/// </summary>
public sealed class CallContext(
    AriClient ari, PbxRouter.Ari.Channel caller, CallPlan plan, CompiledRules? rules, CallRecordWriter records,
    CallEventQueues queues, ILogger logger, TimeProvider time)
{
    private readonly CallInbox _inbox = NewInbox(caller.Id, logger, time, records);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _linked = new();
    private int _legs;

    public AriClient Ari { get; } = ari;
    /// <summary>The patient's channel (also the call's id and event-queue key).</summary>
    public PbxRouter.Ari.Channel Caller { get; } = caller;
    public string CallId => Caller.Id;
    public CallPlan Plan { get; } = plan;
    public CompiledRules? Rules { get; } = rules;
    public CallRecordWriter Records { get; } = records;
    public ILogger Logger { get; } = logger;
    public TimeProvider Time { get; } = time;
    /// <summary>Set once the caller's channel hung up or left Stasis.</summary>
    public bool CallerGone { get; private set; }
    /// <summary>Set once the caller's channel was answered.</summary>
    public bool Answered { get; set; }
    /// <summary>The number the patient dialled (the practice's number, sent in Diversion on overflow); empty when the trunk sent something else.</summary>
    public string CalledNumber { get; init; } = "";
    /// <summary>What the trunk dialled when it was not a number (URI-encoded by the dialplan), for the call record; else null.</summary>
    public string? Dialled { get; init; }
    /// <summary>The patient's caller ID and whether the legs this call places may show it.</summary>
    public PatientIdentity Patient { get; init; } = PatientIdentity.Of(caller.Caller, null);
    /// <summary>Who took the call (phone id, secretariat id, contact): set by the step that returns Connected.</summary>
    public string? AnsweredBy { get; set; }
    /// <summary>The call record outcome a step reached (CallOutcomes: answered, overflowed, voicemail...).</summary>
    public string? Outcome { get; set; }
    /// <summary>The outgoing leg bridged with the caller when a step returns Connected (its hang-up ends the call).</summary>
    public string? ConnectedLeg { get; set; }
    /// <summary>Channels and bridges linked to this call (legs to hang up when the call ends).</summary>
    public IReadOnlyCollection<string> LinkedIds => [.. _linked.Keys];

    /// <summary>Called by the session for every event of this call, in order.</summary>
    public void Deliver(AriEvent e)
    {
        if (e is StasisEnd { Channel.Id: var id } && id == CallId) CallerGone = true;
        if (e is ChannelHangupRequest { Channel.Id: var h } && h == CallId) CallerGone = true;
        if (e is ChannelDestroyed { Channel.Id: var d } && d == CallId) CallerGone = true;
        _inbox.Post(e);
    }

    /// <summary>DTMF digits this call received, and those dropped because its inbox was full (a DTMF flood).</summary>
    public (long Received, long Dropped) Dtmf => (_inbox.DtmfPosted, _inbox.DtmfDropped);

    /// <summary>Events delivered to this call that its flow has not read yet.</summary>
    public int PendingEvents => _inbox.Pending;

    /// <summary>Logs and records the DTMF digits dropped since the last report (called when the call ends).</summary>
    public void ReportDroppedDtmf() => _inbox.ReportDrops();

    /// <summary>The next event of this call, or null when <paramref name="timeout"/> passes first.</summary>
    public Task<AriEvent?> NextEventAsync(TimeSpan timeout, CancellationToken ct) => _inbox.NextAsync(timeout, ct);

    /// <summary>A new id for a leg, bridge, playback or recording of this call (pre-assigned so events match).</summary>
    public string NewId(string what) => $"{CallId}-{what}-{Interlocked.Increment(ref _legs)}";

    /// <summary>Routes the events of another channel or bridge (an outgoing leg) to this call's queue.</summary>
    public void Link(string channelOrBridgeId)
    {
        _linked[channelOrBridgeId] = 0;
        queues.Link(channelOrBridgeId, CallId);
    }

    public void Unlink(string channelOrBridgeId)
    {
        _linked.TryRemove(channelOrBridgeId, out _);
        queues.Unlink(channelOrBridgeId);
    }

    // Each report of dropped digits (rate-limited by the inbox) becomes a step of the call record.
    private static CallInbox NewInbox(string callId, ILogger logger, TimeProvider time, CallRecordWriter records) =>
        new(callId, logger, time)
        {
            OnDropped = r => _ = records.AddStepAsync(callId, CallStepKinds.Dropped, "dtmf",
                $"{r.Dropped} DTMF digits dropped, inbox full (total {r.TotalDropped} of {r.TotalPosted} received)"),
        };

    /// <summary>Appends a step to the call record (entered, queued, ringing, answered, overflowed...).</summary>
    public ValueTask RecordAsync(string kind, string? target = null, string? detail = null) =>
        Records.AddStepAsync(CallId, kind, target, detail);
}
