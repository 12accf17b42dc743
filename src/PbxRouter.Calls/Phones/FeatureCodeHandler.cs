using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Calls.Runtime;
using PbxRouter.Calls.Rules;
using PbxRouter.Routing;
using PbxRouter.Routing.Model;
using PbxRouter.Store;

namespace PbxRouter.Calls.Phones;

/// <summary>
/// Feature codes dialled from the practices' phones (*21, #21, *22, *28, *97... and the GSM forms *21*NUMBER#, #21#, *#21#):
/// resolved with FeatureCodeDecision, allowed directly from the phones the rules trust, otherwise after the doctors' PIN
/// (at most MaxPinTries per call; LockAfterWrongPins wrong PINs in a row, across calls, lock the practice's codes for LockFor).
/// </summary>
public sealed class FeatureCodeHandler(
    ActiveRules rules, RuntimeModes modes, VoicemailListening listening, PinAttemptRepository pins, FeatureCodeOptions options,
    ILogger<FeatureCodeHandler> logger)
    : IPhoneCallHandler
{
    public async Task HandleAsync(PhoneCall call, CancellationToken ct)
    {
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
            await call.HangUpCallerAsync("normal", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(PhoneCall call, CancellationToken ct)
    {
        var phone = await PhoneIdentity.OfAsync(call.Ari, call.CallId, ct).ConfigureAwait(false);
        if (phone is null || !call.Channel.Name.StartsWith($"PJSIP/{PjsipConfig.PhoneEndpoint(phone.PracticeId, phone.PhoneId)}-", StringComparison.Ordinal))
        {
            logger.LogWarning("Call {CallId}: {Channel} is not a provisioned phone; feature codes refused", call.CallId, call.Channel.Name);
            await RefuseAsync(call, ct).ConfigureAwait(false);
            return;
        }
        if (rules.Current is not { } compiled)
        {
            await RefuseAsync(call, ct).ConfigureAwait(false);
            return;
        }
        await modes.RefreshAsync(ct).ConfigureAwait(false);
        var outcome = FeatureCodeDecision.Decide(compiled, phone.PracticeId, phone.PhoneId, call.Dialled, modes.Current);
        if (outcome is null)
        {
            logger.LogInformation("Call {CallId}: phone {Phone} of {Practice} dialled {Dialled}: not a feature code", call.CallId,
                phone.PhoneId, phone.PracticeId, call.Dialled.StartsWith('*') || call.Dialled.StartsWith('#') ? call.Dialled : PhoneNumberMask.Mask(call.Dialled));
            await RefuseAsync(call, ct).ConfigureAwait(false);
            return;
        }
        if (outcome.Refused is { } refused)
        {
            // *21*NUMBER# to a number the practice may not call (or its own): nothing changes, the phone hears why (no PIN asked).
            logger.LogInformation("Call {CallId}: phone {Phone} of {Practice}: {Code} refused: {Why}", call.CallId, phone.PhoneId, phone.PracticeId,
                outcome.Code, PhoneNumberMask.MaskDigits(refused));
            await PhoneCallRouter.RefuseAsync(call, ForwardRefused(outcome.NumberKind), "rejected", ct).ConfigureAwait(false);
            return;
        }
        if (outcome.Action != FeatureAction.Voicemail && outcome.RequiresPin
            && await pins.LockedUntilAsync(PinAttemptRepository.FeatureCodesScope(phone.PracticeId), ct).ConfigureAwait(false) is { } until)
        {
            // Locked after too many wrong PINs: refused at once, no PIN asked (early media, the phone is not answered).
            // *97 is not concerned: it asks the box's own PIN, locked on the box's own scope (VoicemailListening).
            logger.LogWarning("Call {CallId}: {Code} from phone {Phone} of {Practice}: feature codes locked until {Until}; refused", call.CallId,
                outcome.Code, phone.PhoneId, phone.PracticeId, until);
            await PhoneCallRouter.RefuseAsync(call, Locked, "rejected", ct).ConfigureAwait(false);
            return;
        }
        if (!await call.AnswerAsync(ct).ConfigureAwait(false)) return;
        if (outcome.Action == FeatureAction.Voicemail && outcome.VoicemailBox is { } box)
        {
            // *97: the box's owner phones listen directly, other phones with the box's own PIN (not the feature codes' PIN).
            logger.LogInformation("Call {CallId}: phone {Phone} of {Practice}: {Code}: listen to voicemail box {Box}", call.CallId, phone.PhoneId,
                phone.PracticeId, outcome.Code, box);
            await listening.RunAsync(call, phone, box, compiled, ct).ConfigureAwait(false);
            return;
        }
        if (outcome.RequiresPin && !await CheckPinAsync(call, phone, outcome, ct).ConfigureAwait(false)) return;
        logger.LogInformation("Call {CallId}: phone {Phone} of {Practice}: {Code}: {Why}", call.CallId, phone.PhoneId, phone.PracticeId, outcome.Code,
            PhoneNumberMask.MaskDigits(outcome.Why));
        IReadOnlyList<string> prompts = outcome.Action switch
        {
            FeatureAction.Status => Status(outcome),
            FeatureAction.ForwardToNumber => await ForwardAsync(phone, outcome, ct).ConfigureAwait(false),
            _ => [await ApplyModeAsync(phone, outcome, ct).ConfigureAwait(false)],
        };
        // A number or a code is its own playback (digits:...), after the words that announce it.
        foreach (var prompt in prompts)
            if ((await call.PlayAsync(prompt, ct, lang: "fr", what: "confirm").ConfigureAwait(false)).Gone) return;
    }

    /// <summary>Said when the practice's feature codes are locked after too many wrong PINs.</summary>
    public const string Locked = "sound:pbxrouter/code-verrouille";

    /// <summary>*21*NUMBER#: the practice's patient calls go to the number from now on (audited), and the phone hears it read out.</summary>
    private async Task<IReadOnlyList<string>> ForwardAsync(PhoneIdentity phone, FeatureCodeOutcome outcome, CancellationToken ct)
    {
        var number = outcome.ForwardTo!;
        await modes.SetForwardAsync(phone.PracticeId, number, phone.PhoneId, "feature-code *21*NUMBER#", ct).ConfigureAwait(false);
        return ["sound:pbxrouter/renvoi-vers", $"digits:{Digits(number)}"];
    }

    /// <summary>*#21#: what is on for the practice (nothing, a mode and the code that switches it on, or a forward and its number).</summary>
    internal static IReadOnlyList<string> Status(FeatureCodeOutcome outcome) =>
        outcome.ActiveForward is { } forward ? ["sound:pbxrouter/renvoi-vers", $"digits:{Digits(forward)}"]
        : outcome.ActiveMode is null ? ["sound:pbxrouter/etat-aucun"]
        : outcome.ActiveModeCode is { } code ? ["sound:pbxrouter/etat-mode,sound:pbxrouter/etat-mode-code", $"digits:{code}"]
        : ["sound:pbxrouter/etat-mode"];

    /// <summary>A number read out digit by digit as people write it: 0612345678 for +33612345678, 44... for +44...</summary>
    internal static string Digits(string e164) =>
        e164.StartsWith("+33", StringComparison.Ordinal) ? "0" + e164[3..] : e164.TrimStart('+');

    /// <summary>Why *21*NUMBER# is refused: the outgoing policy's message for the number's kind, or "cannot be forwarded there".</summary>
    internal static string ForwardRefused(NumberKind? kind) => kind switch
    {
        NumberKind.International or NumberKind.Premium => $"sound:pbxrouter/renvoi-refuse,{PhonePrompts.Refused(kind)}",
        NumberKind.Invalid or null => $"sound:pbxrouter/renvoi-refuse,{PhonePrompts.NotANumber}",
        _ => "sound:pbxrouter/renvoi-refuse,sound:pbxrouter/renvoi-impossible",
    };

    /// <summary>Stores the practice's new mode (audited: which phone, which code) and returns the confirmation to play.</summary>
    private async Task<string> ApplyModeAsync(PhoneIdentity phone, FeatureCodeOutcome outcome, CancellationToken ct)
    {
        modes.Current.ActiveModes.TryGetValue(phone.PracticeId, out var before);
        outcome.NewState.ActiveModes.TryGetValue(phone.PracticeId, out var after);
        modes.Current.ForwardedTo.TryGetValue(phone.PracticeId, out var forwardBefore);
        outcome.NewState.ForwardedTo.TryGetValue(phone.PracticeId, out var forwardAfter);
        if (outcome.Action == FeatureAction.Cancel && before == after && forwardBefore == forwardAfter) return "sound:pbxrouter/renvoi-aucun";
        await modes.SetAsync(phone.PracticeId, after, phone.PhoneId, $"feature-code {outcome.Code}", ct).ConfigureAwait(false);
        return outcome.Action switch
        {
            FeatureAction.Activate => "sound:pbxrouter/renvoi-active",
            FeatureAction.Toggle when after is not null => "sound:pbxrouter/mode-active",
            FeatureAction.Toggle => "sound:pbxrouter/mode-desactive",
            _ => "sound:pbxrouter/renvoi-desactive",
        };
    }

    /// <summary>Asks for the doctors' PIN, at most MaxPinTries times; false (and the phone is told) when it is not given.</summary>
    private async Task<bool> CheckPinAsync(PhoneCall call, PhoneIdentity phone, FeatureCodeOutcome outcome, CancellationToken ct)
    {
        var expected = outcome.PinEnv is null ? null : options.Secrets(outcome.PinEnv);
        if (string.IsNullOrEmpty(expected))
        {
            logger.LogWarning("Call {CallId}: {Code} from phone {Phone} needs a PIN but {PinEnv} is not set: refused",
                call.CallId, outcome.Code, phone.PhoneId, outcome.PinEnv ?? "no pin_env");
            await RefuseAsync(call, ct).ConfigureAwait(false);
            return false;
        }
        var scope = PinAttemptRepository.FeatureCodesScope(phone.PracticeId);
        for (var attempt = 1; attempt <= options.MaxPinTries; attempt++)
        {
            var read = await call.ReadDigitsAsync("sound:pbxrouter/code-entrez", options.MaxPinDigits, options.FirstDigit, options.BetweenDigits, ct,
                "pin").ConfigureAwait(false);
            if (read.Gone) return false;
            if (read.Digits.Length == 0)
            {
                // Nothing keyed (the wait ran out): a try of this call, but no guess, so it does not count towards the lock.
                logger.LogInformation("Call {CallId}: no PIN keyed for {Code} from phone {Phone} of {Practice} (try {Attempt} of {Max})",
                    call.CallId, outcome.Code, phone.PhoneId, phone.PracticeId, attempt, options.MaxPinTries);
                if (attempt < options.MaxPinTries)
                    await call.PlayAsync("sound:pbxrouter/code-incorrect", ct, lang: "fr", what: "no-pin").ConfigureAwait(false);
                continue;
            }
            // Every try is kept (never the PIN): wrong ones count across calls, and a locked scope refuses even the right PIN.
            var verdict = await pins.RecordAsync(scope, phone.PhoneId, SameSecret(read.Digits, expected), options.LockAfterWrongPins, options.LockFor,
                CancellationToken.None).ConfigureAwait(false);
            if (verdict.Accepted) return true;
            if (verdict.Locked)
            {
                logger.LogWarning("Call {CallId}: {Code} from phone {Phone} of {Practice}: feature codes locked until {Until}", call.CallId,
                    outcome.Code, phone.PhoneId, phone.PracticeId, verdict.LockedUntil);
                await call.PlayAsync($"sound:pbxrouter/code-incorrect,{Locked}", ct, lang: "fr", what: "locked").ConfigureAwait(false);
                return false;
            }
            logger.LogWarning("Call {CallId}: wrong PIN for {Code} from phone {Phone} of {Practice} (try {Attempt} of {Max}; {Left} before the lock)",
                call.CallId, outcome.Code, phone.PhoneId, phone.PracticeId, attempt, options.MaxPinTries, verdict.TriesLeft);
            if (attempt < options.MaxPinTries)
                await call.PlayAsync("sound:pbxrouter/code-incorrect", ct, lang: "fr", what: "wrong-pin").ConfigureAwait(false);
        }
        await call.PlayAsync("sound:pbxrouter/code-incorrect,sound:pbxrouter/code-refuse", ct, lang: "fr", what: "refused").ConfigureAwait(false);
        return false;
    }

    private static bool SameSecret(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    /// <summary>Not allowed from here: a short message (early media), then the phone is hung up.</summary>
    private static async Task RefuseAsync(PhoneCall call, CancellationToken ct) =>
        await call.PlayAsync("sound:pbxrouter/code-refuse", ct, lang: "fr", what: "refuse").ConfigureAwait(false);
}
