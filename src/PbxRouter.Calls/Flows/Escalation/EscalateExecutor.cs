using Microsoft.Extensions.Logging;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Escalation;

/// <summary>
/// Urgent escalation: rings the doctors' mobiles in turn through the trunk; a mobile is bridged with the patient only
/// after pressing the screening key, so its own voicemail never takes the call. Nobody accepts: the plan's next step.
/// </summary>
public sealed class EscalateExecutor(EscalationOptions options) : IStepExecutor
{
    public bool CanRun(PlanStep step) => step is Escalate;

    public async Task<StepOutcome> RunAsync(CallContext call, PlanStep step, CancellationToken ct)
    {
        var escalate = (Escalate)step;
        if (call.CallerGone) return new StepOutcome.CallerGone();
        var hold = new PatientHold(call, options);
        if (!await hold.StartAsync(ct).ConfigureAwait(false)) return new StepOutcome.CallerGone();
        var trunk = TrunkFor(call);
        foreach (var contact in escalate.Contacts)
        {
            var leg = new MobileLeg(call, contact, escalate.ScreeningKey, trunk, options, hold);
            await call.RecordAsync(CallStepKinds.Escalated, leg.Who, $"ring {contact.RingTime.TotalSeconds:0} s, screening key {escalate.ScreeningKey}").ConfigureAwait(false);
            var outcome = await leg.RunAsync(ct).ConfigureAwait(false);
            call.Logger.LogInformation("Call {CallId}: urgent escalation to {Contact}: {Outcome}", call.CallId, leg.Who, outcome);
            if (outcome == LegOutcome.CallerGone) return new StepOutcome.CallerGone();
            if (outcome != LegOutcome.Accepted) continue;
            await hold.StopAsync(ct).ConfigureAwait(false);
            await call.RecordAsync(CallStepKinds.Answered, leg.Who, "urgent call accepted on the mobile").ConfigureAwait(false);
            return await new UrgentConversation(call, leg.Id, leg.Who).RunAsync(ct).ConfigureAwait(false);
        }
        await hold.StopAsync(ct).ConfigureAwait(false);
        call.Logger.LogInformation("Call {CallId}: no doctor accepted the urgent call", call.CallId);
        return call.CallerGone ? new StepOutcome.CallerGone() : new StepOutcome.Next();
    }

    /// <summary>The trunk the mobiles are dialled through: the configured one, else the practice's, else the default.</summary>
    private string TrunkFor(CallContext call)
    {
        if (!string.IsNullOrEmpty(options.Trunk)) return options.Trunk;
        var practice = call.Rules?.Model.Practices.FirstOrDefault(p => p.Id.Value == call.Plan.PracticeId);
        return practice?.Trunk?.Value is { } trunk ? PjsipConfig.TrunkEndpoint(trunk) : options.DefaultTrunk;
    }
}
