using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>Turns the steps written in YAML into plan steps, each with its "why", once at compile time.</summary>
internal sealed class PlanBuilder(Practice practice, PracticeLine? line, RoutingRules rules, string queueId, IReadOnlyDictionary<string, Secretariat> secretariats)
{
    /// <summary>The prompt a greeting or message plays: the line's own when the line writes it, else the practice's.</summary>
    private string GreetingPrompt(Greeting g) => PromptCatalog.GreetingName(practice, ReferenceEquals(line?.Rules.Greeting, g) ? line : null, g);

    private string MessagePrompt(Message m) =>
        PromptCatalog.MessageName(practice, line is not null && line.Rules.Messages.TryGetValue(m.Id, out var own) && ReferenceEquals(own, m) ? line : null, m);

    public RoutingRules Rules => rules;

    /// <summary>The plan steps for one state or mode; <paramref name="activatingPhone"/> resolves "forward: activating_phone".</summary>
    public List<PlanStep> Build(IReadOnlyList<StepRule> steps, string label, Phone? activatingPhone = null)
    {
        var plan = new List<PlanStep>(steps.Count + 1);
        foreach (var step in steps)
            if (Build(step, label, activatingPhone) is { } built) plan.Add(built);
        if (plan.Count == 0 || plan[^1] is not (Hangup or Refuse)) plan.Add(Hangup.AtEndOfPlan);
        return plan;
    }

    private PlanStep? Build(StepRule step, string label, Phone? activatingPhone) => step.Kind switch
    {
        StepKind.Greeting when rules.Greeting is { } g => new PlayGreeting(GreetingPrompt(g), g.Text, g.EarlyMedia, $"{label}: greet the caller (\"{g.Text}\")"),
        StepKind.Queue when rules.Queue is not null => QueueStep(label, skipGreeting: false),
        StepKind.Overflow when rules.Overflow is not null => OverflowStep(label),
        StepKind.Escalate when rules.Escalation is not null => EscalateStep($"{label}: urgent escalation"),
        StepKind.Announce when rules.Messages.TryGetValue(step.Argument ?? "", out var m) =>
            new Announce(m.Id, MessagePrompt(m), m.Text, $"{label}: tell the caller (message '{m.Id}')"),
        StepKind.Voicemail => VoicemailStep(step.Argument ?? "", $"{label}: last resort, take a message"),
        StepKind.Forward => ForwardStep(step.Argument ?? "", label, activatingPhone),
        StepKind.Hangup => new Hangup($"{label}: hang up"),
        _ => null, // unresolved references are reported by validation; a compiled model never has them
    };

    public Queue QueueStep(string label, bool skipGreeting)
    {
        var q = rules.Queue!;
        var members = q.Members.Select(m => m.Value).ToArray();
        var strategy = q.Strategy switch { QueueStrategy.RoundRobin => "in turn", QueueStrategy.LeastRecent => "least recently called first", _ => "together" };
        var why = $"{label}: ring {string.Join(", ", members)} {strategy} for {q.RingTime.TotalSeconds:0} s; give up after {q.MaxWait.TotalSeconds:0} s waiting or when {q.MaxCallers} callers already wait"
            + (q.OverflowWhenAllBusy ? " or all phones are busy" : "")
            + (skipGreeting ? " (no greeting)" : "")
            + (rules.Escalation is { } e ? $"; the caller may press {e.Key} for an urgent matter" : "");
        return new Queue(queueId, members, q.Strategy, q.RingTime, q.MaxWait, q.MaxCallers, q.PositionEvery, q.Music,
            rules.Escalation?.Key, q.OverflowWhenAllBusy, why);
    }

    /// <summary>The overflow's secretariats in order, each with its trunk and headers (none without an overflow).</summary>
    public IReadOnlyList<OverflowTarget> OverflowTargets()
    {
        if (rules.Overflow is not { } o) return [];
        var targets = new List<OverflowTarget>();
        foreach (var id in o.To)
        {
            if (!secretariats.TryGetValue(id.Value, out var s)) continue;
            var headers = new Dictionary<string, string>(s.Headers, StringComparer.OrdinalIgnoreCase);
            foreach (var (k, v) in o.Headers) headers[k] = v;
            targets.Add(new OverflowTarget(s.Id.Value, s.Name, s.Destination, s.Trunk?.Value ?? practice.Trunk?.Value, s.Diversion, s.HistoryInfo, headers));
        }
        return targets;
    }

    private Overflow OverflowStep(string label)
    {
        var targets = OverflowTargets();
        var names = string.Join(", then ", targets.Select(t => t.Name ?? t.SecretariatId));
        var tells = targets.Any(t => t.Diversion || t.HistoryInfo) ? " and the practice's number (" +
            string.Join(", ", new[] { targets.Any(t => t.Diversion) ? "Diversion" : null, targets.Any(t => t.HistoryInfo) ? "History-Info" : null }.OfType<string>()) + ")" : "";
        var tags = targets.SelectMany(t => t.Headers).Distinct().Select(h => $"{h.Key}: {h.Value}").ToArray();
        var why = $"{label}: the remote secretariat {names} answers; it receives the caller's number{tells}"
            + (tags.Length > 0 ? $", tagged {string.Join(", ", tags)}" : "");
        return new Overflow(targets, why);
    }

    public Escalate EscalateStep(string why)
    {
        var e = rules.Escalation!;
        var contacts = e.Contacts.Select(c => new EscalationContact(c.Name, c.Number, c.RingTime)).ToArray();
        var who = string.Join(", then ", e.Contacts.Select(c => $"{c.Name ?? PhoneNumbers.ToNational(c.Number)} ({c.RingTime.TotalSeconds:0} s)"));
        return new Escalate(contacts, e.ScreeningKey, e.RingTime,
            $"{why}: ring {who}; each must press {e.ScreeningKey} to take the call, so a mobile's own voicemail never takes it");
    }

    public Voicemail? VoicemailStep(string boxId, string why)
    {
        if (practice.VoicemailBoxes.FirstOrDefault(b => b.Id.Value == boxId) is not { } box) return null;
        var notify = box.Notify.Count == 0 ? "" : $"; {(box.Urgent ? "notify at once" : "notify")} {string.Join(", ", box.Notify.Select(n => n.Target))}";
        return new Voicemail(box.Id.Value, box.Urgent, box.Notify, $"{why} in {(box.Urgent ? "urgent " : "")}voicemail '{box.Id.Value}'{notify}");
    }

    private Forward? ForwardStep(string target, string label, Phone? activatingPhone)
    {
        if (target == RoutesReader.ActivatingPhone)
            return activatingPhone?.Mobile is { } mobile
                ? new Forward(mobile, $"{label}: forward to the mobile of {activatingPhone.Name ?? activatingPhone.Id.Value}, who switched this mode on")
                : null;
        return PhoneNumbers.TryNormalize(target, out var number) ? new Forward(number, $"{label}: forward to {PhoneNumbers.ToNational(number)}") : null;
    }

    /// <summary>What happens when the caller presses the urgent key: escalation, then the urgent voicemail.</summary>
    public IReadOnlyList<PlanStep> UrgentSteps(IReadOnlyList<PlanStep> steps)
    {
        if (rules.Escalation is not { } e || !steps.Any(s => s is Queue)) return [];
        var urgent = new List<PlanStep> { EscalateStep($"the caller pressed {e.Key} (urgent)") };
        if (e.Voicemail is { } box && VoicemailStep(box.Value, "nobody took the urgent call: take a message") is { } vm) urgent.Add(vm);
        urgent.Add(Hangup.AtEndOfPlan);
        return urgent;
    }

    /// <summary>A VIP's variant of a plan: straight to the queue (or the escalation), no greeting, then the usual steps.</summary>
    public IReadOnlyList<PlanStep> VipSteps(IReadOnlyList<PlanStep> steps, VipCaller vip)
    {
        var first = vip.Route == VipRoute.Escalation && rules.Escalation is not null
            ? (PlanStep)EscalateStep($"VIP caller {vip.Name}")
            : rules.Queue is not null ? QueueStep($"VIP caller {vip.Name}", skipGreeting: true) : null;
        var rest = steps.Where(s => s is not PlayGreeting && s.GetType() != first?.GetType());
        return first is null ? rest.ToList() : [first, .. rest];
    }
}
