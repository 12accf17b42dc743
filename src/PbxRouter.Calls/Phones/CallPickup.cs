using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Flows.Pickup;
using PbxRouter.Calls.Flows.Reception;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Calls.Rules;
using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Phones;

/// <summary>
/// The pickup code (<see cref="PickupDecision.Code"/>) dialled from a practice's phone: takes a patient's call that rings
/// other phones of the same practice (never another practice's), the patient who has waited longest first. The patient's
/// call does the rest in its own inbox (its ringing phones stop, this phone's channel is answered and bridged with the
/// patient, the record says "picked up"): the channel is then that call's, and this handler leaves it up. Nothing to take:
/// a spoken message (early media), then the phone is hung up.
/// </summary>
public sealed class CallPickup(ActiveRules rules, QueueBoard board, ILogger<CallPickup> logger)
{
    /// <summary>What the phone hears when nothing rings (asterisk-config/prompts/fr.txt).</summary>
    public const string NothingToPickUp = "sound:pbxrouter/interception-aucun";

    public async Task HandleAsync(PhoneCall call, CancellationToken ct)
    {
        var taken = false;
        try
        {
            taken = await RunAsync(call, ct).ConfigureAwait(false);
        }
        catch (AriException e) when (call.IsCallerGone(e))
        {
            // The phone hung up meanwhile.
        }
        finally
        {
            if (!taken) await call.HangUpCallerAsync("normal", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<bool> RunAsync(PhoneCall call, CancellationToken ct)
    {
        var phone = await PhoneIdentity.OfAsync(call.Ari, call.CallId, ct).ConfigureAwait(false);
        if (phone is null || rules.Current is null
            || !call.Channel.Name.StartsWith($"PJSIP/{PjsipConfig.PhoneEndpoint(phone.PracticeId, phone.PhoneId)}-", StringComparison.Ordinal))
        {
            logger.LogWarning("Call {CallId}: {Channel} dialled the pickup code but is not a provisioned phone: refused", call.CallId, call.Channel.Name);
            await PhoneCallRouter.RefuseAsync(call, "sound:pbxrouter/code-refuse", "rejected", ct).ConfigureAwait(false);
            return false;
        }
        foreach (var ringing in PickupDecision.Candidates(phone.PracticeId, board.Ringing.Now))
        {
            var request = new PickupRequested(ringing.CallId, call.Channel, phone.PhoneId);
            if (!board.Ringing.TryRequest(request)) continue;
            if (await request.Taken.WaitAsync(ct).ConfigureAwait(false))
            {
                logger.LogInformation("Call {CallId}: phone {Phone} of {Practice} picked up call {Patient} (ringing {Phones})", call.CallId,
                    phone.PhoneId, phone.PracticeId, ringing.CallId, string.Join(", ", ringing.Phones));
                return true;
            }
            if (call.CallerGone) return false;
        }
        logger.LogInformation("Call {CallId}: phone {Phone} of {Practice} dialled {Code}: no call of the practice rings", call.CallId, phone.PhoneId,
            phone.PracticeId, PickupDecision.Code);
        await PhoneCallRouter.RefuseAsync(call, NothingToPickUp, "rejected", ct).ConfigureAwait(false);
        return false;
    }
}
