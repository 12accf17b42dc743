using NodaTime;
using PbxRouter.Calls.Rules;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Flows;

/// <summary>A patient call's plan, and the rules version it comes from (kept for the whole call).</summary>
public sealed record RoutedPlan(int RulesVersion, CompiledRules? Rules, CallPlan Plan);

/// <summary>Where a patient's call gets its plan: the rules in force, or (in tests) a plan of one's own.</summary>
public interface IPlanSource
{
    /// <summary>The plan for a call to <paramref name="called"/> from <paramref name="caller"/> at <paramref name="at"/>; null when no rules are applied.</summary>
    RoutedPlan? PlanFor(string called, string caller, DateTimeOffset at);
}

/// <summary>The plan the rules in force decide, with the modes staff switched (the engine's plan source).</summary>
public sealed class RulesPlanSource(ActiveRules rules, RuntimeModes modes) : IPlanSource
{
    public RoutedPlan? PlanFor(string called, string caller, DateTimeOffset at)
    {
        var version = rules.Version;
        if (rules.Current is not { } compiled) return null;
        var plan = RoutingDecision.Decide(compiled, new CallRequest(called, caller, Instant.FromDateTimeOffset(at)), modes.Current);
        return new RoutedPlan(version, compiled, plan);
    }
}
