using PbxRouter.Ari;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Runtime;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows;

/// <summary>Starts a <see cref="PlanCall"/> for a patient's call once a plan source has a plan (before that, the greeting flow runs).</summary>
public sealed class PlanCalls(IPlanSource plans, CallRecordWriter records, StepExecutors executors, EngineOptions options)
{
    /// <summary>The routed call, or null when no rules are applied.</summary>
    /// <param name="dialled">What the trunk dialled when it was not a number (URI-encoded by the dialplan), for the call record.</param>
    /// <param name="adopted">A call a previous engine left in Stasis: its plan is the one of the moment the call started.</param>
    public PlanCall? TryCreate(CallServices services, Channel caller, string called, PatientIdentity patient, string? dialled, CallTrace trace,
        AdoptedCall? adopted = null)
    {
        if (plans.PlanFor(called, caller.Caller.Number, trace.StartedAt) is not { } routed) return null;
        var context = new CallContext(services, caller, routed.Plan, routed.Rules, records)
        {
            CalledNumber = called, Patient = patient, Dialled = dialled, Resumed = adopted?.Saved,
        };
        trace.Step($"plan: {routed.Plan.PracticeState} ({routed.Plan.PracticeId ?? "no practice"})");
        return new PlanCall(context, trace, executors, options, routed.RulesVersion, adopted);
    }
}
