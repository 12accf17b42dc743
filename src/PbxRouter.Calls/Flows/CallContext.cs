using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows;

/// <summary>
/// A patient's call under the routing rules, as the step executors see it: the shared per-call runtime (the patient's
/// channel, its inbox, its legs), the plan it follows, and its call record.
/// </summary>
public sealed class CallContext : LiveCall
{
    public CallContext(CallServices services, Channel caller, CallPlan plan, CompiledRules? rules, CallRecordWriter records) : base(services, caller)
    {
        Plan = plan;
        Rules = rules;
        Records = records;
        UrgentKey = plan.UrgentKey;
        Patient = PatientIdentity.Of(caller.Caller, null);
        // Each report of dropped digits (rate-limited by the inbox) becomes a step of the call record.
        Inbox.OnDropped = r => _ = records.AddStepAsync(CallId, CallStepKinds.Dropped, "dtmf",
            $"{r.Dropped} DTMF digits dropped, inbox full (total {r.TotalDropped} of {r.TotalPosted} received)");
    }

    /// <summary>The patient's channel (also the call's id and event-queue key).</summary>
    public Channel Caller => Channel;
    public CallPlan Plan { get; }
    public CompiledRules? Rules { get; }
    public CallRecordWriter Records { get; }
    /// <summary>The number the patient dialled (the practice's number, sent in Diversion on overflow); empty when the trunk sent something else.</summary>
    public string CalledNumber { get; init; } = "";
    /// <summary>What the trunk dialled when it was not a number (URI-encoded by the dialplan), for the call record; else null.</summary>
    public string? Dialled { get; init; }
    /// <summary>The patient's caller ID and whether the legs this call places may show it.</summary>
    public PatientIdentity Patient { get; init; }
    /// <summary>
    /// The key that switches this call to the plan's urgent steps while it waits (greeting, queue, overflow ringing); null when
    /// the plan offers none, or once the urgent steps run.
    /// </summary>
    public string? UrgentKey { get; private set; }

    /// <summary>The caller pressed the urgent key while a step waited: recorded; the plan switches to its urgent steps.</summary>
    public async Task<StepOutcome> UrgentKeyPressedAsync(string key)
    {
        await RecordAsync(CallStepKinds.Escalated, key, "the caller pressed the urgent key");
        return new StepOutcome.Urgent();
    }

    /// <summary>What the call last saved on its channel for an engine that would take it over; null until the plan runs.</summary>
    public SavedCall? Saved { get; private set; }

    /// <summary>What a previous engine saved, when this engine took the call over after a restart; else null.</summary>
    public SavedCall? Resumed { get; init; }

    private bool _queuePlaceTaken, _recordingTaken;

    /// <summary>The message a previous engine was recording for this call (its recording's name), given once; else null.</summary>
    public string? TakeRecording()
    {
        if (_recordingTaken || Resumed?.Recording is not { } name) return null;
        _recordingTaken = true;
        return name;
    }

    /// <summary>Keeps <paramref name="state"/> in memory, and on the caller's channel when <paramref name="write"/>.</summary>
    public async Task SaveAsync(SavedCall state, bool write = true)
    {
        Saved = state;
        if (!write) return;
        try
        {
            await OnCallerAsync(() => Ari.Channels.SetVariableAsync(CallId, SavedCall.Variable, state.ToText(), CancellationToken.None),
                "save the call's state");
        }
        catch (AriException e)
        {
            // Only a restart would miss it: the call goes on.
            Logger.LogWarning("Call {CallId}: state not saved on the channel ({Error}): a restart would start its plan over", CallId, e.Message);
        }
    }

    /// <summary>
    /// When the caller waited in <paramref name="queueId"/> before this engine took the call over: since when (their place
    /// in line). Given once: a later pass through the same queue is a new wait.
    /// </summary>
    public DateTimeOffset? TakeQueuePlace(string queueId)
    {
        if (_queuePlaceTaken || Resumed is not { QueueId: { } id, QueuedAt: { } since } || id != queueId) return null;
        _queuePlaceTaken = true;
        return since;
    }

    /// <summary>The plan switched to its urgent steps: the urgent key means nothing more.</summary>
    public void UrgentStepsStarted() => UrgentKey = null;

    /// <summary>Logs and records the DTMF digits dropped since the last report (called when the call ends).</summary>
    public void ReportDroppedDtmf() => Inbox.ReportDrops();

    /// <summary>Appends a step to the call record (entered, queued, ringing, answered, overflowed...).</summary>
    public ValueTask RecordAsync(string kind, string? target = null, string? detail = null) =>
        Records.AddStepAsync(CallId, kind, target, detail);
}
