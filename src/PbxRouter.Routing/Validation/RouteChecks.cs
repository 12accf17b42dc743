using System.Text.RegularExpressions;
using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>Every state leads somewhere useful, says 15 when nobody answers, and every route can be reached.</summary>
internal static partial class RouteChecks
{
    public const string EmergencyHint =
        "add a message such as closed: \"Le cabinet est fermé. En cas d'urgence vitale, appelez le 15. Pour joindre le médecin de garde, appelez le 116 117.\" and the step announce: closed";

    public static void Check(Practice practice, Diagnostics d)
    {
        foreach (var (line, rules) in RulesValidator.Effective(practice))
        {
            var owner = line is null ? practice.At : line.At;
            foreach (var required in new[] { PracticeState.Open, PracticeState.Closed })
                if (!rules.Routes.ContainsKey(required))
                    d.Error(owner with { Field = $"{owner.Field}.routes.{YamlKeys.StateKey(required)}" }, RuleErrorCodes.MissingField,
                        $"routes.{YamlKeys.StateKey(required)} is missing: nothing says what happens to calls when the practice is {YamlKeys.StateKey(required)}.",
                        required == PracticeState.Open ? "e.g. routes: { open: [greeting, queue, overflow] }" : "e.g. closed: [{announce: closed}, {voicemail: cabinet}]");
            foreach (var route in rules.Routes.Values)
            {
                Steps(route.Steps, route.At, rules, d);
                EndsWithNobody(route.Steps, route.At, practice, d);
            }
            foreach (var mode in practice.Modes)
            {
                Steps(mode.Steps, mode.At with { Field = mode.At.Field + ".steps" }, rules, d);
                EndsWithNobody(mode.Steps, mode.At with { Field = mode.At.Field + ".steps" }, practice, d);
            }
            Reachability(practice, line, rules, d);
        }
        ModesAndBoxes(practice, d);
    }

    private static void Steps(IReadOnlyList<StepRule> steps, SourceLocation at, RoutingRules rules, Diagnostics d)
    {
        if (steps.Count == 0)
        {
            d.Error(at, RuleErrorCodes.MissingField, "no steps: calls would be dropped.", "list at least one step, e.g. [greeting, queue, overflow]");
            return;
        }
        var reachesSomeone = steps.Any(s => s.Kind is StepKind.Queue or StepKind.Overflow or StepKind.Forward or StepKind.Escalate);
        var said = steps.Where(s => s.Kind == StepKind.Announce && s.Argument is not null && rules.Messages.ContainsKey(s.Argument))
            .Select(s => rules.Messages[s.Argument!].Text).ToList();
        if (!reachesSomeone && !said.Any(t => Samu().IsMatch(t)))
            d.Error(at, RuleErrorCodes.MissingEmergencyMessage,
                "nobody answers in this state, and no message tells the caller to dial 15 for a life-threatening emergency.", EmergencyHint);
        else if (!reachesSomeone && !said.Any(t => OnCall().IsMatch(t)))
            d.Warn(at, RuleErrorCodes.MissingOnCallMessage,
                "the closed message does not say where to go: mention the doctor on call (116 117, or the local number).", EmergencyHint);
        for (var i = 0; i < steps.Count - 1; i++)
            if (steps[i].Kind == StepKind.Hangup)
                d.Warn(steps[i + 1].At, RuleErrorCodes.Unreachable, "this step comes after hangup and never runs.", "remove it or move hangup to the end");
        if (steps[0].Kind == StepKind.Voicemail)
            d.Warn(steps[0].At, RuleErrorCodes.Suspicious, "voicemail is the first thing callers get; patients hang up on machines.",
                "announce where to go first (announce: closed), and keep voicemail as the last resort");
        if (steps[^1].Kind == StepKind.Queue)
            d.Warn(steps[^1].At, RuleErrorCodes.DeadEnd, "the queue is the last step: when it gives up, the call is hung up.",
                "add overflow or voicemail after queue");
    }

    /// <summary>
    /// Callers of this route can end with nobody and no voicemail: it hangs up before any voicemail step, or it runs out of
    /// steps into the fallback route (the secretariats, then a box of the practice) and the practice has no voicemail box.
    /// </summary>
    private static void EndsWithNobody(IReadOnlyList<StepRule> steps, SourceLocation at, Practice practice, Diagnostics d)
    {
        var hangup = steps.ToList().FindIndex(s => s.Kind == StepKind.Hangup);
        if (steps.Take(hangup < 0 ? steps.Count : hangup).Any(s => s.Kind == StepKind.Voicemail)) return;
        if (hangup >= 0)
            d.Warn(steps[hangup].At, RuleErrorCodes.EndsWithNobody, "callers who get here are hung up with nobody having taken the call and no voicemail.",
                "put a voicemail step before hangup, or remove hangup: the fallback route (the secretariat, then a voicemail box) then takes them");
        else if (steps.Count > 0 && practice.VoicemailBoxes.Count == 0)
            d.Warn(at, RuleErrorCodes.EndsWithNobody, "when nobody takes the call, the fallback route ends with no voicemail: the practice has no voicemail box.",
                "add voicemail_boxes: [{ id: cabinet }] (the fallback route takes messages in it) and a voicemail step");
    }

    private static void Reachability(Practice practice, PracticeLine? line, RoutingRules rules, Diagnostics d)
    {
        if (rules.Escalation is { } e)
        {
            if (e.Contacts.Count == 0)
                d.Error(e.At with { Field = e.At.Field + ".contacts" }, RuleErrorCodes.EmptyEscalation, "the escalation has no contacts: pressing the key would lead nowhere.",
                    "add contacts: [{ name: Dr Martin, number: \"06 12 34 56 78\", ring_time: 25s }]");
            var allSteps = rules.Routes.Values.SelectMany(r => r.Steps).Concat(practice.Modes.SelectMany(m => m.Steps)).ToList();
            if (!allSteps.Any(s => s.Kind is StepKind.Queue or StepKind.Escalate) && practice.Callers.Vip.All(v => v.Route != VipRoute.Escalation))
                d.Warn(e.At, RuleErrorCodes.Unreachable, $"the urgent key {e.Key} is never offered: no route uses queue or escalate.",
                    "the key is offered while callers wait in the queue; add queue to a route or remove the escalation");
            if (e.Voicemail is null)
                d.Warn(e.At, RuleErrorCodes.DeadEnd, "when nobody accepts the urgent call, it ends without a voicemail.", "add voicemail: <an urgent box>");
        }
        if (rules.Queue is { Members.Count: 0 } q)
            d.Error(q.At with { Field = q.At.Field + ".members" }, RuleErrorCodes.MissingField, "the queue has no members: nobody would ring.", "list the phones, e.g. members: [accueil-1]");
        if (rules.Overflow is { To.Count: 0 } o)
            d.Error(o.At with { Field = o.At.Field + ".to" }, RuleErrorCodes.MissingField, "the overflow has no secretariat.", "e.g. to: [servitel]");
        // a line inherits the practice's routes; only what is written in the line itself is judged here
        var own = line?.Rules ?? rules;
        var hasGap = rules.Hours?.Days.Values.Any(r => r.Count > 1) ?? false;
        if (own.Routes.TryGetValue(PracticeState.Lunch, out var lunch) && !hasGap)
            d.Warn(lunch.At, RuleErrorCodes.Unreachable, "routes.lunch never applies: no day has a break between two opening ranges.", "remove it, or split a day's hours");
        if (own.Routes.TryGetValue(PracticeState.AfterHours, out var after) && rules.AfterHours is null)
            d.Warn(after.At, RuleErrorCodes.Unreachable, "routes.after_hours never applies: there is no after_hours window.", "add after_hours: { weekdays: [\"19:00-20:00\"] }");
        if (own.AfterHours is { } window && !rules.Routes.ContainsKey(PracticeState.AfterHours))
            d.Warn(window.At, RuleErrorCodes.Unreachable, "after_hours is set but routes.after_hours is not: those hours use the closed route.", "add routes.after_hours");
    }

    private static void ModesAndBoxes(Practice practice, Diagnostics d)
    {
        var codes = practice.FeatureCodes?.Codes ?? [];
        foreach (var mode in practice.Modes)
            if (!codes.Any(c => c.Action is FeatureAction.Activate or FeatureAction.Toggle && c.Target?.Value == mode.Id.Value))
                d.Warn(mode.Id.At, RuleErrorCodes.Unreachable, $"mode '{mode.Id.Value}' cannot be switched on: no feature code activates or toggles it.",
                    $"add a feature code such as {{ code: \"*28\", toggle: {mode.Id.Value} }}, or remove the mode");
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, rules) in RulesValidator.Effective(practice))
        {
            if (rules.Escalation?.Voicemail is { } v) used.Add(v.Value);
            foreach (var s in rules.Routes.Values.SelectMany(r => r.Steps).Concat(practice.Modes.SelectMany(m => m.Steps)))
                if (s.Kind == StepKind.Voicemail && s.Argument is not null) used.Add(s.Argument);
        }
        foreach (var box in practice.VoicemailBoxes.Where(b => !used.Contains(b.Id.Value)))
            d.Warn(box.Id.At, RuleErrorCodes.Unreachable, $"voicemail box '{box.Id.Value}' never receives calls.", "use it in a route (voicemail: <box>) or in the escalation, or remove it");
    }

    /// <summary>"15" as a number on its own (not 15h, 15:00, 115, 2015).</summary>
    [GeneratedRegex(@"(?<![\d:,.])15(?![\d:hH])")]
    private static partial Regex Samu();

    [GeneratedRegex(@"116\s?117|garde", RegexOptions.IgnoreCase)]
    private static partial Regex OnCall();
}
