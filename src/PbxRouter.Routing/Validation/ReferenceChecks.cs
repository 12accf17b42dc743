using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>Every name used must exist: trunks, secretariats, phones, messages, voicemail boxes, modes.</summary>
internal static class ReferenceChecks
{
    public static void CheckShared(RulesModel model, Diagnostics d)
    {
        var trunks = model.Trunks.Select(t => t.Id.Value).ToHashSet();
        foreach (var s in model.Secretariats)
            if (s.Trunk is { } t) RulesValidator.Known(t, trunks, "trunk", d);
        var used = model.Practices.SelectMany(RulesValidator.Effective).SelectMany(e => e.Rules.Overflow?.To ?? []).Select(t => t.Value).ToHashSet();
        foreach (var s in model.Secretariats.Where(s => !used.Contains(s.Id.Value)))
            d.Warn(s.Id.At, RuleErrorCodes.Unreachable, $"secretariat '{s.Id.Value}' is never used.", "list it in a practice's overflow: to: [...], or remove it");
    }

    public static void Check(RulesModel model, Practice practice, Diagnostics d)
    {
        var phones = practice.Phones.Select(p => p.Id.Value).ToHashSet();
        var boxes = practice.VoicemailBoxes.Select(b => b.Id.Value).ToHashSet();
        var modes = practice.Modes.Select(m => m.Id.Value).ToHashSet();
        var secretariats = model.Secretariats.Select(s => s.Id.Value).ToHashSet();
        if (practice.Trunk is { } trunk) RulesValidator.Known(trunk, model.Trunks.Select(t => t.Id.Value).ToHashSet(), "trunk", d);

        foreach (var (line, rules) in RulesValidator.Effective(practice))
        {
            foreach (var member in rules.Queue?.Members ?? []) RulesValidator.Known(member, phones, "phone", d);
            foreach (var to in rules.Overflow?.To ?? []) RulesValidator.Known(to, secretariats, "secretariat", d);
            if (rules.Escalation?.Voicemail is { } box) RulesValidator.Known(box, boxes, "voicemail box", d);
            foreach (var route in rules.Routes.Values) Steps(route.Steps, rules, boxes, inMode: false, d);
            foreach (var mode in practice.Modes) Steps(mode.Steps, rules, boxes, inMode: true, d);
            foreach (var vip in practice.Callers.Vip)
                if (vip.Route == VipRoute.Queue ? rules.Queue is null : rules.Escalation is null)
                    d.Error(vip.At with { Field = vip.At.Field + ".route" }, RuleErrorCodes.UnknownReference,
                        $"VIP '{vip.Name}' goes to the {(vip.Route == VipRoute.Queue ? "queue" : "escalation")}, but {(line is null ? "the practice" : $"line '{line.Id.Value}'")} has none.",
                        "add the missing section or change the VIP's route");
        }

        var lines = practice.Lines.Select(l => l.Id.Value).Append(YamlKeys.MainLine).ToList();
        foreach (var line in practice.Lines.Where(l => l.Id.Value == YamlKeys.MainLine))
            d.Error(line.Id.At, RuleErrorCodes.InvalidValue, "'main' designates the practice's own numbers and cannot name a line.", "rename the line");
        foreach (var mode in practice.Modes)
            foreach (var l in mode.Lines ?? []) RulesValidator.Known(l, lines, "line", d);

        if (practice.FeatureCodes is { } codes)
        {
            foreach (var p in codes.WithoutPin) RulesValidator.Known(p, phones, "phone", d);
            foreach (var code in codes.Codes)
            {
                foreach (var p in code.WithoutPin ?? []) RulesValidator.Known(p, phones, "phone", d);
                if (code.Target is { } target)
                    RulesValidator.Known(target, code.Action == FeatureAction.Voicemail ? boxes : modes, code.Action == FeatureAction.Voicemail ? "voicemail box" : "mode", d);
            }
        }
    }

    private static void Steps(IReadOnlyList<StepRule> steps, RoutingRules rules, HashSet<string> boxes, bool inMode, Diagnostics d)
    {
        foreach (var step in steps)
        {
            var needs = step.Kind switch
            {
                StepKind.Greeting when rules.Greeting is null => "greeting",
                StepKind.Queue when rules.Queue is null => "queue",
                StepKind.Overflow when rules.Overflow is null => "overflow",
                StepKind.Escalate when rules.Escalation is null => "escalation",
                _ => null,
            };
            if (needs is not null)
                d.Error(step.At, RuleErrorCodes.UnknownReference, $"the step '{step.Kind.ToString().ToLowerInvariant()}' needs a {needs} section, and there is none.",
                    $"add {needs}: to the practice (or to the line), or remove the step");
            switch (step.Kind)
            {
                case StepKind.Announce:
                    RulesValidator.Known(new Located<string>(step.Argument ?? "", step.At), rules.Messages.Keys.ToList(), "message", d);
                    break;
                case StepKind.Voicemail:
                    RulesValidator.Known(new Located<string>(step.Argument ?? "", step.At), boxes, "voicemail box", d);
                    break;
                case StepKind.Forward when step.Argument == RoutesReader.ActivatingPhone:
                    if (!inMode)
                        d.Error(step.At, RuleErrorCodes.InvalidValue, "'forward: activating_phone' only makes sense in a mode switched on from a phone.",
                            "use it in a mode's steps, or forward to a number");
                    break;
                case StepKind.Forward when !PhoneNumbers.TryNormalize(step.Argument ?? "", out _):
                    d.Error(step.At, RuleErrorCodes.InvalidNumber, $"'{step.Argument}' is not a valid phone number.",
                        NumberReader.Hint + ", or write forward: activating_phone in a mode");
                    break;
            }
        }
    }
}
