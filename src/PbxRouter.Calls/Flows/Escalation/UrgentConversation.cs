using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Phones;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Escalation;

/// <summary>Bridges the patient with the doctor who accepted; the plan flow then waits for either side to hang up.</summary>
internal sealed class UrgentConversation(CallContext call, string legId, string who)
{
    public async Task<StepResult> RunAsync(CancellationToken ct)
    {
        // The bridge id contains "-bridge-": the plan flow destroys it with the call's other linked ids at the end.
        var bridgeId = call.NewId("urgent-bridge");
        call.Link(bridgeId);
        try
        {
            await call.Ari.Bridges.CreateAsync("mixing", bridgeId, "urgent", ct).ConfigureAwait(false);
            await call.Ari.Bridges.AddChannelAsync(bridgeId, [call.CallId, legId], ct: ct).ConfigureAwait(false);
        }
        catch (AriException ex)
        {
            call.Logger.LogError("Call {CallId}: could not bridge the patient with the mobile: {Error}", call.CallId, ex.Message);
            await CallAudio.HangupQuietlyAsync(call.Ari, legId, "normal", ct).ConfigureAwait(false);
            try
            {
                await call.Ari.Bridges.DestroyAsync(bridgeId, ct).ConfigureAwait(false);
            }
            catch (AriException gone) when (gone.StatusCode is 404 or 409)
            {
            }
            call.Unlink(legId);
            call.Unlink(bridgeId);
            return call.CallerGone ? StepResult.CallerGone : StepResult.Next;
        }
        call.Logger.LogInformation("Call {CallId}: patient connected to the mobile of {Contact}", call.CallId, who);
        call.ConnectedLeg = legId;
        call.AnsweredBy = who;
        call.Outcome = CallOutcomes.Answered;
        return StepResult.Connected;
    }
}
