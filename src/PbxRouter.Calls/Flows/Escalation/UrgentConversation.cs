using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Phones;

namespace PbxRouter.Calls.Flows.Escalation;

/// <summary>The patient and the doctor who accepted, bridged until one of them hangs up; the other is then hung up too.</summary>
internal sealed class UrgentConversation(CallContext call, string legId, EscalationOptions options)
{
    public async Task<StepResult> RunAsync(CancellationToken ct)
    {
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
            await EndAsync(bridgeId, ct).ConfigureAwait(false);
            return call.CallerGone ? StepResult.CallerGone : StepResult.Next;
        }
        call.Logger.LogInformation("Call {CallId}: patient connected to the doctor's mobile", call.CallId);
        var deadline = call.Time.GetUtcNow() + options.MaxConversation;
        while (!call.CallerGone)
        {
            var left = deadline - call.Time.GetUtcNow();
            if (left <= TimeSpan.Zero) break;
            var e = await call.NextEventAsync(left, ct).ConfigureAwait(false);
            if (e is not null && CallAudio.IsGone(e, legId)) break;
        }
        // Whoever hung up first, the call is over for both.
        if (!call.CallerGone) await CallAudio.HangupQuietlyAsync(call.Ari, call.CallId, "normal", ct).ConfigureAwait(false);
        await EndAsync(bridgeId, ct).ConfigureAwait(false);
        return StepResult.Connected;
    }

    private async Task EndAsync(string bridgeId, CancellationToken ct)
    {
        await CallAudio.HangupQuietlyAsync(call.Ari, legId, "normal", ct).ConfigureAwait(false);
        try
        {
            await call.Ari.Bridges.DestroyAsync(bridgeId, ct).ConfigureAwait(false);
        }
        catch (AriException ex) when (ex.StatusCode is 404 or 409)
        {
        }
        call.Unlink(legId);
        call.Unlink(bridgeId);
    }
}
