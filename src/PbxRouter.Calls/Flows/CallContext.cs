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

    /// <summary>The plan switched to its urgent steps: the urgent key means nothing more.</summary>
    public void UrgentStepsStarted() => UrgentKey = null;

    /// <summary>Logs and records the DTMF digits dropped since the last report (called when the call ends).</summary>
    public void ReportDroppedDtmf() => Inbox.ReportDrops();

    /// <summary>Appends a step to the call record (entered, queued, ringing, answered, overflowed...).</summary>
    public ValueTask RecordAsync(string kind, string? target = null, string? detail = null) =>
        Records.AddStepAsync(CallId, kind, target, detail);
}
