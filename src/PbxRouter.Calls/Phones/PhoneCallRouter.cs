using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Calls.Rules;
using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Phones;

/// <summary>
/// Every call dialled from a practice's phone: <see cref="PhoneDialDecision"/> says what the number is; feature codes go to
/// the <see cref="FeatureCodeHandler"/>, outside numbers the practice allows (and emergency numbers, should one reach the
/// engine) go out through its trunk, extensions ring the practice's phone, anything else is refused with a spoken message.
/// Outside, internal and refused calls are written to the call records.
/// </summary>
public sealed class PhoneCallRouter(
    ActiveRules rules, FeatureCodeHandler codes, PhoneDialing dialing, CallRecordWriter records, ILogger<PhoneCallRouter> logger,
    CallPickup? pickup = null) : IPhoneCallHandler
{
    public async Task HandleAsync(PhoneCall call, CancellationToken ct)
    {
        if (pickup is not null && call.Dialled == PickupDecision.Code)
        {
            // Call pickup: a fixed code, taken before the practice's feature codes (the rules cannot give it another use).
            await pickup.HandleAsync(call, ct).ConfigureAwait(false);
            return;
        }
        if (call.Dialled.StartsWith('*') || call.Dialled.StartsWith('#'))
        {
            await codes.HandleAsync(call, ct).ConfigureAwait(false);
            return;
        }
        try
        {
            await RunAsync(call, ct).ConfigureAwait(false);
        }
        catch (AriException e) when (call.IsCallerGone(e))
        {
            // The phone hung up meanwhile.
        }
        finally
        {
            await call.EndAllAsync().ConfigureAwait(false);
            await call.HangUpCallerAsync("normal", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(PhoneCall call, CancellationToken ct)
    {
        var startedAt = call.Time.GetUtcNow();
        var phone = await PhoneIdentity.OfAsync(call.Ari, call.CallId, ct).ConfigureAwait(false);
        var compiled = rules.Current;
        var version = rules.Version;
        if (phone is null || !call.Channel.Name.StartsWith($"PJSIP/{PjsipConfig.PhoneEndpoint(phone.PracticeId, phone.PhoneId)}-", StringComparison.Ordinal)
            || compiled is null || PhoneDialDecision.Decide(compiled, phone.PracticeId, phone.PhoneId, call.Dialled) is not { } dial)
        {
            logger.LogWarning("Call {CallId}: {Channel} is not a phone of the rules in force; refused", call.CallId, call.Channel.Name);
            await RefuseAsync(call, "sound:pbxrouter/code-refuse", "rejected", ct).ConfigureAwait(false);
            return;
        }
        if (dial.Kind == PhoneDialKind.FeatureCode)
        {
            await codes.HandleAsync(call, ct).ConfigureAwait(false);
            return;
        }
        if (call.Answered)
        {
            // Taken over from a previous engine (the channel was already up): its outside or internal leg was hung up by the
            // adoption, so the conversation is over; dialling the number again behind the user's back would be worse.
            logger.LogWarning("Call {CallId}: phone {Phone} of {Practice} was in a call left by a previous engine: hung up", call.CallId,
                phone.PhoneId, phone.PracticeId);
            return;
        }
        var record = new PhoneCallRecord(records, call);
        var caller = dial.Kind == PhoneDialKind.Internal ? call.Channel.Caller.Number : dial.CallerId;
        await record.StartAsync(dial, caller, version, startedAt).ConfigureAwait(false);
        await record.StepAsync(CallStepKinds.Entered, phone.PhoneId, Entered(phone.PhoneId, dial)).ConfigureAwait(false);
        logger.LogInformation("Call {CallId}: phone {Phone} of {Practice} dialled {Dialled}: {Kind} ({NumberKind})", call.CallId, phone.PhoneId,
            phone.PracticeId, PhoneNumberMask.Mask(call.Dialled), dial.Kind, dial.NumberKind);
        var outcome = dial.Kind switch
        {
            PhoneDialKind.Emergency or PhoneDialKind.Outside => await dialing.OutsideAsync(call, dial, compiled, record, ct).ConfigureAwait(false),
            PhoneDialKind.Internal => await dialing.InternalAsync(call, dial, record, ct).ConfigureAwait(false),
            _ => await RefusedAsync(call, dial, record, ct).ConfigureAwait(false),
        };
        await record.EndAsync(outcome).ConfigureAwait(false);
    }

    /// <summary>
    /// What the record says of the call's start. The number dialled is a patient's, a laboratory's...: health-related personal
    /// data, so steps carry it masked (the record's called number keeps it whole, like a patient's caller number).
    /// </summary>
    private static string Entered(string phone, PhoneDial dial) => dial.Kind switch
    {
        PhoneDialKind.Internal => $"from phone {phone}: {dial.Why}",
        PhoneDialKind.Refused => $"from phone {phone}, dialled {PhoneNumberMask.Mask(dial.Dialled)}",
        _ => $"from phone {phone}: {Kind(dial.NumberKind)} {PhoneNumberMask.Mask(dial.Destination)}, "
            + (dial.Kind == PhoneDialKind.Emergency ? "emergency" : $"allowed ({dial.Policy})")
            + $", through {(dial.Trunk is null ? "the default trunk" : $"trunk {dial.Trunk}")}, presenting {dial.CallerId}",
    };

    private static string Kind(NumberKind? kind) => kind switch
    {
        NumberKind.International => "international number",
        NumberKind.Premium => "premium-rate or short number",
        NumberKind.Mobile => "mobile number",
        NumberKind.National => "national number",
        NumberKind.Emergency => "emergency number",
        _ => "not a phone number",
    };

    private static async Task<string> RefusedAsync(PhoneCall call, PhoneDial dial, PhoneCallRecord record, CancellationToken ct)
    {
        var why = dial.NumberKind is NumberKind.Invalid or null ? dial.Why : $"{Kind(dial.NumberKind)}, not allowed ({dial.Policy})";
        await record.StepAsync(CallStepKinds.Refused, PhoneNumberMask.Mask(dial.Destination ?? dial.Dialled), why).ConfigureAwait(false);
        record.HungUpBy = "engine";
        await RefuseAsync(call, PhonePrompts.Refused(dial.NumberKind), "rejected", ct).ConfigureAwait(false);
        return CallOutcomes.Refused;
    }

    /// <summary>The reason as early media (the phone is not answered), then the call ends with <paramref name="reason"/> (rejected: 603 Decline; busy: 486; no_answer: 480).</summary>
    internal static async Task RefuseAsync(PhoneCall call, string prompt, string reason, CancellationToken ct)
    {
        if ((await call.PlayAsync(prompt, ct, limit: TimeSpan.FromSeconds(20), lang: "fr", what: "refused").ConfigureAwait(false)).Gone) return;
        await call.HangUpCallerAsync(reason, ct).ConfigureAwait(false);
    }
}

/// <summary>The messages a phone hears when its call cannot go through (asterisk-config/prompts/fr.txt).</summary>
public static class PhonePrompts
{
    public const string NotANumber = "sound:pbxrouter/numero-invalide";
    public const string Unreachable = "sound:pbxrouter/correspondant-injoignable";
    public const string ExtensionBusy = "sound:pbxrouter/poste-occupe";
    public const string ExtensionNoAnswer = "sound:pbxrouter/poste-absent";

    /// <summary>Why a number is refused, by its kind.</summary>
    public static string Refused(NumberKind? kind) => kind switch
    {
        NumberKind.International => "sound:pbxrouter/appel-international-refuse",
        NumberKind.Premium => "sound:pbxrouter/appel-surtaxe-refuse",
        NumberKind.National or NumberKind.Mobile => "sound:pbxrouter/appel-refuse",
        _ => NotANumber,
    };
}
