using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Calls.Runtime;
using PbxRouter.Calls.Rules;
using PbxRouter.Routing;
using PbxRouter.Routing.Model;

namespace PbxRouter.Calls.Phones;

/// <summary>
/// Feature codes dialled from the practices' phones (*21, #21, *22, *28, *97...): resolved with FeatureCodeDecision,
/// allowed directly from the phones the rules trust, otherwise after the doctors' PIN (at most 3 tries).
/// </summary>
public sealed class FeatureCodeHandler(
    ActiveRules rules, RuntimeModes modes, VoicemailListening listening, FeatureCodeOptions options, ILogger<FeatureCodeHandler> logger)
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
        logger.LogInformation("Call {CallId}: phone {Phone} of {Practice}: {Code}: {Why}", call.CallId, phone.PhoneId, phone.PracticeId, outcome.Code, outcome.Why);
        var prompt = await ApplyModeAsync(phone, outcome, ct).ConfigureAwait(false);
        await call.PlayAsync(prompt, ct, lang: "fr", what: "confirm").ConfigureAwait(false);
    }

    /// <summary>Stores the practice's new mode (audited: which phone, which code) and returns the confirmation to play.</summary>
    private async Task<string> ApplyModeAsync(PhoneIdentity phone, FeatureCodeOutcome outcome, CancellationToken ct)
    {
        modes.Current.ActiveModes.TryGetValue(phone.PracticeId, out var before);
        outcome.NewState.ActiveModes.TryGetValue(phone.PracticeId, out var after);
        if (outcome.Action == FeatureAction.Cancel && before == after) return "sound:pbxrouter/renvoi-aucun";
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
        for (var attempt = 1; attempt <= options.MaxPinTries; attempt++)
        {
            var read = await call.ReadDigitsAsync("sound:pbxrouter/code-entrez", options.MaxPinDigits, options.FirstDigit, options.BetweenDigits, ct,
                "pin").ConfigureAwait(false);
            if (read.Gone) return false;
            if (SameSecret(read.Digits, expected)) return true;
            logger.LogWarning("Call {CallId}: wrong PIN for {Code} from phone {Phone} of {Practice} (try {Attempt} of {Max})",
                call.CallId, outcome.Code, phone.PhoneId, phone.PracticeId, attempt, options.MaxPinTries);
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
