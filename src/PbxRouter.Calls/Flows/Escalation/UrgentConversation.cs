using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Runtime;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Escalation;

/// <summary>Bridges the patient with the doctor who accepted; the plan flow then waits for either side to hang up.</summary>
internal sealed class UrgentConversation(CallContext call, string legId, string who)
{
    public async Task<StepOutcome> RunAsync(CancellationToken ct)
    {
        var bridge = call.Add(call.NewId("urgent-bridge"), LegKind.Bridge);
        try
        {
            await call.Ari.Bridges.CreateAsync("mixing", bridge.Id, "urgent", ct).ConfigureAwait(false);
            await call.Ari.Bridges.AddChannelAsync(bridge.Id, [call.CallId, legId], ct: ct).ConfigureAwait(false);
        }
        catch (AriException ex)
        {
            call.Logger.LogError("Call {CallId}: could not bridge the patient with the mobile: {Error}", call.CallId, ex.Message);
            await call.EndAsync(legId, ct: ct).ConfigureAwait(false);
            await call.EndAsync(bridge, ct: ct).ConfigureAwait(false);
            return call.CallerGone ? new StepOutcome.CallerGone() : new StepOutcome.Next();
        }
        call.Logger.LogInformation("Call {CallId}: patient connected to the mobile of {Contact}", call.CallId, who);
        return new StepOutcome.Connected(legId, who, CallOutcomes.Answered);
    }
}
