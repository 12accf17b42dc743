using NodaTime;

namespace PbxRouter.Routing;

/// <summary>A call's answer to "where would it go": the plan, or an error saying which input is wrong, and a note on a clock change.</summary>
public sealed record CallAnswer(CallPlan? Plan, string? Note, string? Error);

/// <summary>A phone's answer to "what does dialling this do", or an error.</summary>
public sealed record PhoneDialAnswer(PhoneDial? Dial, string? Error);

/// <summary>
/// "Where would this call go, and why": the dry run of the decision shared by `pbxrouter route` and the console's form.
/// Errors name the input as <paramref name="names"/> spells it (--to on the command line, a form label in the console).
/// </summary>
public static class RouteQuestion
{
    /// <summary>How the caller's inputs are named in error messages.</summary>
    public sealed record InputNames(string To, string At, string Phone);

    public static readonly InputNames CommandLine = new("--to", "--at", "--phone");

    /// <summary>The plan for a call to <paramref name="to"/> from <paramref name="from"/> at local time <paramref name="at"/> (null: <paramref name="now"/>).</summary>
    public static CallAnswer AskCall(CompiledRules rules, RuntimeState state, string to, string from, string? at, Instant now, InputNames names)
    {
        if (!PhoneNumbers.TryNormalize(to, out var called))
            return new(null, null, $"{names.To} '{to}' is not a phone number (E.164 +33145000000 or national 01 45 00 00 00)");
        var caller = PhoneNumbers.TryNormalize(from, out var c) ? c : from;
        var zone = rules.TimeZoneFor(called);
        var instant = now;
        string? note = null;
        if (at is not null)
        {
            if (!LocalTimes.TryParse(at, out var local))
                return new(null, null, $"{names.At} '{at}' is not a local time: write \"2026-12-25 10:00\"");
            instant = LocalTimes.ToInstant(local, zone);
            var all = LocalTimes.AllInstants(local, zone);
            if (all.Count == 0) note = $"{at} does not exist in {zone.Id} (clocks go forward): explained at {LocalTimes.Format(instant, zone)}";
            if (all.Count == 2) note = $"{at} happens twice in {zone.Id} (clocks go back): explained at the first, {LocalTimes.Format(all[0], zone)}";
        }
        return new(RoutingDecision.Decide(rules, new CallRequest(called, caller, instant), state), note, null);
    }

    /// <summary>What <paramref name="dialled"/> does when the phone PRACTICE.PHONE dials it.</summary>
    public static PhoneDialAnswer AskPhoneDial(CompiledRules rules, string phone, string dialled, InputNames names)
    {
        var parts = phone.Split('.', 2);
        var number = new string(dialled.Where(c => !char.IsWhiteSpace(c) && c is not ('.' or '-')).ToArray());
        if (parts.Length != 2 || PhoneDialDecision.Decide(rules, parts[0], parts[1], number) is not { } dial)
            return new(null, $"{names.Phone} '{phone}' is not a phone of the rules: write PRACTICE.PHONE, e.g. tilleuls.accueil-1");
        if (dial.Kind == PhoneDialKind.FeatureCode && FeatureCodeDecision.Decide(rules, parts[0], parts[1], number, RuntimeState.None) is { } code)
            dial = dial with { Why = $"{dial.Why}: {code.Why} (with no mode on)" };
        return new(dial, null);
    }
}
