using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>What dialling a feature code from a practice's phone does; apply <see cref="NewState"/> once the PIN (if required) is checked.</summary>
public sealed record FeatureCodeOutcome(
    string Code, FeatureAction Action, string? Mode, string? VoicemailBox, bool RequiresPin, string? PinEnv, RuntimeState NewState, string Why)
{
    /// <summary>False when a PIN is required but the practice has none: the code cannot be used from this phone.</summary>
    public bool Allowed => !RequiresPin || PinEnv is not null;
}

/// <summary>Resolves feature codes (*21, #21, *28, *97...) against the compiled rules; pure, like <see cref="RoutingDecision"/>.</summary>
public static class FeatureCodeDecision
{
    /// <summary>The outcome of <paramref name="dialled"/> from <paramref name="phoneId"/>, or null when it is not a feature code of the practice.</summary>
    public static FeatureCodeOutcome? Decide(CompiledRules rules, string practiceId, string phoneId, string dialled, RuntimeState state)
    {
        if (!rules.PracticesById.TryGetValue(practiceId, out var practice) || practice.FeatureCodes is not { } codes) return null;
        if (codes.Codes.FirstOrDefault(c => c.Code.Value == dialled) is not { } code) return null;
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
}
