using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>What dialling a feature code from a practice's phone does; apply <see cref="NewState"/> once the PIN (if required) is checked.</summary>
public sealed record FeatureCodeOutcome(
    string Code, FeatureAction Action, string? Mode, string? VoicemailBox, bool RequiresPin, string? PinEnv, RuntimeState NewState, string Why)
{
    /// <summary>False when a PIN is required but the practice has none: the code cannot be used from this phone.</summary>
    public bool Allowed => !RequiresPin || PinEnv is not null;

    /// <summary><see cref="FeatureAction.ForwardToNumber"/>: the number (E.164) the practice's patient calls go to.</summary>
    public string? ForwardTo { get; init; }

    /// <summary><see cref="FeatureAction.ForwardToNumber"/>: what the dialled number is (mobile, premium...), even when refused.</summary>
    public NumberKind? NumberKind { get; init; }

    /// <summary>Why the code cannot do what it asks (a number the outgoing policy refuses, the practice's own number...); null when it can.</summary>
    public string? Refused { get; init; }

    /// <summary><see cref="FeatureAction.Status"/>: the practice's mode before the call (null: none).</summary>
    public string? ActiveMode { get; init; }

    /// <summary><see cref="FeatureAction.Status"/>: the code that switches <see cref="ActiveMode"/> on, to be read out (null: none).</summary>
    public string? ActiveModeCode { get; init; }

    /// <summary><see cref="FeatureAction.Status"/>: the number the practice's calls are forwarded to (null: none).</summary>
    public string? ActiveForward { get; init; }
}

/// <summary>Resolves feature codes (*21, #21, *28, *97...) against the compiled rules; pure, like <see cref="RoutingDecision"/>.</summary>
public static class FeatureCodeDecision
{
    /// <summary>The outcome of <paramref name="dialled"/> from <paramref name="phoneId"/>, or null when it is not a feature code of the practice.</summary>
    public static FeatureCodeOutcome? Decide(CompiledRules rules, string practiceId, string phoneId, string dialled, RuntimeState state)
    {
        if (!rules.PracticesById.TryGetValue(practiceId, out var practice) || practice.FeatureCodes is not { } codes) return null;
        if (codes.Codes.FirstOrDefault(c => c.Code.Value == dialled) is not { } code) return Gsm(rules, practice, codes, phoneId, dialled, state);
        var trusted = code.WithoutPin ?? codes.WithoutPin;
        var requiresPin = !trusted.Any(p => p.Value == phoneId);
        state.ActiveModes.TryGetValue(practiceId, out var active);
        var target = code.Target?.Value;
        var (next, why) = code.Action switch
        {
            FeatureAction.Activate => (state.WithMode(practiceId, target, phoneId), $"switch mode {target} on"),
            FeatureAction.Toggle when active == target => (state.WithMode(practiceId, null), $"switch mode {target} off"),
            FeatureAction.Toggle => (state.WithMode(practiceId, target, phoneId), $"switch mode {target} on"),
            FeatureAction.Cancel when target is null || active == target =>
                (state.WithMode(practiceId, null), active is null ? "no mode was on" : $"switch mode {active} off"),
            FeatureAction.Cancel => (state, $"mode {target} is not on; nothing to cancel"),
            _ => (state, $"listen to voicemail box {target}"),
        };
        if (code.Action == FeatureAction.Voicemail)
        {
            // Listening is the box's business: its owner phones directly, others with the box's own PIN (not the codes').
            var box = practice.VoicemailBoxes.FirstOrDefault(b => b.Id.Value == target);
            var owner = box?.OwnerPhones.Any(p => p.Value == phoneId) == true;
            return new FeatureCodeOutcome(code.Code.Value, code.Action, null, target, !owner, box?.PinEnv, next,
                owner ? $"{why}, from one of its owner phones" : box?.PinEnv is null ? $"{why}: refused, not an owner phone and the box has no PIN"
                    : $"{why}, after the box's PIN ({box.PinEnv})");
        }
        return new FeatureCodeOutcome(code.Code.Value, code.Action, target, null, requiresPin, codes.PinEnv?.Value, next,
            requiresPin ? $"{why}, after the PIN" : why);
    }

    /// <summary>The GSM forwarding codes every practice with feature codes has (ETSI, as on a mobile): forward all, cancel, status.</summary>
    public const string ForwardPrefix = "*21*", CancelForwardCode = "#21#", StatusCode = "*#21#";

    /// <summary>
    /// <c>*21*NUMBER#</c> forwards the practice's patient calls to NUMBER when its <c>outgoing</c> policy allows calling it;
    /// <c>#21#</c> cancels any forward or mode; <c>*#21#</c> says what is on. The practice's codes come first (a code written
    /// in the rules wins); the PIN rule is the practice-wide one (<c>without_pin</c>, else <c>pin_env</c>).
    /// </summary>
    private static FeatureCodeOutcome? Gsm(CompiledRules rules, Model.Practice practice, FeatureCodes codes, string phoneId, string dialled, RuntimeState state)
    {
        var practiceId = practice.Id.Value;
        var requiresPin = !codes.WithoutPin.Any(p => p.Value == phoneId);
        var pinEnv = codes.PinEnv?.Value;
        string After(string why) => requiresPin ? $"{why}, after the PIN" : why;
        state.ActiveModes.TryGetValue(practiceId, out var mode);
        state.ForwardedTo.TryGetValue(practiceId, out var forward);
        if (dialled == StatusCode)
        {
            var code = mode is null ? null
                : codes.Codes.FirstOrDefault(c => c.Action is FeatureAction.Activate or FeatureAction.Toggle && c.Target?.Value == mode)?.Code.Value;
            var what = forward is not null ? $"calls are forwarded to {PhoneNumbers.ToNational(forward)}"
                : mode is not null ? $"mode {mode} is on{(code is null ? "" : $" (code {code})")}" : "no forward and no mode is on";
            return new FeatureCodeOutcome(dialled, FeatureAction.Status, mode, null, requiresPin, pinEnv, state, After($"say what is on: {what}"))
                { ActiveMode = mode, ActiveModeCode = code, ActiveForward = forward };
        }
        if (dialled == CancelForwardCode)
            return new FeatureCodeOutcome(dialled, FeatureAction.Cancel, null, null, requiresPin, pinEnv, state.WithMode(practiceId, null),
                After(forward is not null ? $"cancel the forward to {PhoneNumbers.ToNational(forward)}" : mode is not null ? $"switch mode {mode} off" : "nothing was on"));
        if (dialled.Length <= ForwardPrefix.Length + 1 || !dialled.StartsWith(ForwardPrefix, StringComparison.Ordinal) || !dialled.EndsWith('#')) return null;
        var number = OutgoingNumbers.Classify(dialled[ForwardPrefix.Length..^1]);
        var outcome = new FeatureCodeOutcome(ForwardPrefix + "NUMBER#", FeatureAction.ForwardToNumber, null, null, requiresPin, pinEnv, state, "")
            { NumberKind = number.Kind };
        string? refused = null;
        if (number.Kind == NumberKind.Emergency) refused = $"{number.Why}: the practice's calls cannot be forwarded to an emergency number";
        else if (number.Kind == NumberKind.Invalid || number.Destination is null) refused = $"{number.Dialled}: {number.Why}";
        else
        {
            var (field, allowed) = practice.Outgoing.For(number.Kind);
            var policy = practice.Outgoing.At is null ? $"by default {field}: {(allowed ? "true" : "false")}" : $"outgoing.{field}: {(allowed ? "true" : "false")}";
            if (!allowed) refused = $"{number.Why}, not allowed ({policy})";
            else if (rules.TryFindLine(number.Destination, out _)) refused = $"{number.Why} is a practice's own number: the call would come back";
            else return outcome with
            {
                ForwardTo = number.Destination, NewState = state.WithForward(practiceId, number.Destination, phoneId),
                Why = After($"forward the patient calls to {number.Why} ({policy})"),
            };
        }
        return outcome with { Refused = refused, Why = $"refused: {refused}" };
    }
}
