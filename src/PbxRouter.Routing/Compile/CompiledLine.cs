using System.Collections.Frozen;
using NodaTime;
using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>Steps for one state, with the urgent branch, and both again for each VIP caller.</summary>
internal sealed record StatePlan(IReadOnlyList<PlanStep> Steps, IReadOnlyList<PlanStep> Urgent, IReadOnlyList<PlanStep>[] Vip, IReadOnlyList<PlanStep>[] VipUrgent);

/// <summary>A mode ready to apply: the states it covers and its plans (per activating phone when it forwards to "my mobile").</summary>
internal sealed record CompiledMode(string Id, string? Name, bool[] During, StatePlan Plan, FrozenDictionary<string, StatePlan> ByPhone);

/// <summary>Everything needed to route a call to one number of a practice (the practice itself or one of its lines).</summary>
internal sealed class CompiledLine
{
    private readonly StatePlan[] _states = new StatePlan[(int)PracticeState.Closure + 1];

    public CompiledLine(Practice practice, PracticeLine? line, IReadOnlyDictionary<string, Secretariat> secretariats)
    {
        PracticeId = practice.Id.Value;
        PracticeName = line?.Name is { } n ? $"{practice.Name} ({n})" : practice.Name;
        LineId = line?.Id.Value;
        ZoneId = practice.TimeZone.Value;
        Zone = DateTimeZoneProviders.Tzdb[ZoneId];
        var rules = line is null ? practice.Rules : line.Rules.Over(practice.Rules);
        Schedule = new CompiledSchedule(rules);
        Vips = practice.Callers.Vip.ToArray();
        var builder = new PlanBuilder(practice, line, rules, LineId is null ? PracticeId : $"{PracticeId}.{LineId}", secretariats);

        foreach (var state in Enum.GetValues<PracticeState>().Where(s => s <= PracticeState.Closure && s != PracticeState.Mode))
        {
            var route = rules.Routes.GetValueOrDefault(state) ?? rules.Routes.GetValueOrDefault(PracticeState.Closed);
            var label = StateLabel(state) + (rules.Routes.ContainsKey(state) || state == PracticeState.Closed ? "" : " (same as closed)");
            _states[(int)state] = Plan(builder, route?.Steps ?? [], label, null);
        }
        Modes = practice.Modes.Where(m => m.Lines is null || m.Lines.Any(l => l.Value == (LineId ?? YamlKeys.MainLine))).ToFrozenDictionary(m => m.Id.Value, m => new CompiledMode(
            m.Id.Value, m.Name,
            Enum.GetValues<PracticeState>().Select(s => m.During is null || m.During.Contains(s)).ToArray(),
            Plan(builder, m.Steps, $"mode {m.Id.Value}", null),
            m.Steps.Any(s => s.Argument == RoutesReader.ActivatingPhone)
                ? practice.Phones.Where(p => p.Mobile is not null).ToFrozenDictionary(p => p.Id.Value, p => Plan(builder, m.Steps, $"mode {m.Id.Value}", p))
                : FrozenDictionary<string, StatePlan>.Empty));

        Fallback = new PracticeFallback(PracticeId, LineId, PracticeName, (line?.Numbers ?? practice.Numbers).Select(n => n.Value).ToArray(),
            builder.OverflowTargets(), PracticeFallback.BoxFor(practice, _states[(int)PracticeState.Closed].Steps, builder),
            practice.Callers.Blocked.Select(b => b.Number.Value).Distinct().ToArray());

        var blocked = practice.Callers.Blocked.GroupBy(b => b.Number.Value).ToFrozenDictionary(g => g.Key,
            g => (IReadOnlyList<PlanStep>)[new Refuse(403, $"the caller {PhoneNumbers.ToNational(g.Key)} is blocked{(g.First().Reason is { } r ? $": {r}" : "")}")]);
        Blocked = blocked.GetAlternateLookup<ReadOnlySpan<char>>();
        var vip = practice.Callers.Vip.SelectMany((v, i) => v.Numbers.Select(num => (num.Value, i)))
            .GroupBy(x => x.Value).ToFrozenDictionary(g => g.Key, g => g.First().i);
        VipIndex = vip.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string PracticeId { get; }
    public string PracticeName { get; }
    public string? LineId { get; }
    public string ZoneId { get; }
    public DateTimeZone Zone { get; }
    public CompiledSchedule Schedule { get; }
    public VipCaller[] Vips { get; }
    public PracticeFallback Fallback { get; }
    public FrozenDictionary<string, CompiledMode> Modes { get; }
    public FrozenDictionary<string, IReadOnlyList<PlanStep>>.AlternateLookup<ReadOnlySpan<char>> Blocked { get; }
    public FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> VipIndex { get; }

    public StatePlan PlanFor(PracticeState state) => _states[(int)state];

    /// <summary>
    /// The steps while the practice's calls are forwarded to <paramref name="number"/> (E.164): ring it (through the
    /// practice's trunk, the caller's number shown, the practice's number in Diversion), then the fallback route's box.
    /// </summary>
    public IReadOnlyList<PlanStep> ForwardPlan(string number)
    {
        var national = PhoneNumbers.ToNational(number);
        var steps = new List<PlanStep>(3)
        {
            new Forward(number, $"forwarded with *21*NUMBER#: ring {national} through the practice's trunk, showing the caller's number, the practice's number in Diversion"),
        };
        if (Fallback.Voicemail is { } box)
            steps.Add(box with { Why = $"nobody answered {national}: take a message in voicemail '{box.Box}' (the box of the fallback route)" });
        steps.Add(Hangup.AtEndOfPlan);
        return steps;
    }

    public static string StateLabel(PracticeState state) => state switch
    {
        PracticeState.AfterHours => "after hours",
        _ => state.ToString().ToLowerInvariant(),
    };

    private StatePlan Plan(PlanBuilder builder, IReadOnlyList<StepRule> rules, string label, Phone? activatingPhone)
    {
        var steps = builder.Build(rules, label, activatingPhone);
        var vip = Vips.Select(v => builder.VipSteps(steps, v)).ToArray();
        return new StatePlan(steps, builder.UrgentSteps(steps), vip, vip.Select(builder.UrgentSteps).ToArray());
    }
}
