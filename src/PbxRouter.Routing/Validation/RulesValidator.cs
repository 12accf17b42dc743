using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>Runs every check on a merged model; the readers already reported syntax, types and unknown fields.</summary>
internal static class RulesValidator
{
    /// <summary>The prefix of generated trunk endpoints ("trunk.id"), so no practice may take it as its id.</summary>
    public const string ReservedPracticeId = "trunk";

    public static void Check(RulesModel model, Diagnostics d)
    {
        Unique(model.Trunks, t => t.Id, "trunk", d);
        Unique(model.Secretariats, s => s.Id, "secretariat", d);
        Unique(model.Practices, p => p.Id, "practice", d);
        ReferenceChecks.CheckShared(model, d);
        NumberChecks.Check(model, d);
        TransportChecks.CheckContactUsers(model, d);
        PromptChecks.Check(model, d);
        foreach (var practice in model.Practices)
        {
            // Phones become PJSIP objects "practice.phone" and trunks "trunk.id": a practice called "trunk" could collide.
            if (practice.Id.Value == ReservedPracticeId)
                d.Error(practice.Id.At, RuleErrorCodes.InvalidValue, $"'{ReservedPracticeId}' is reserved and cannot name a practice.", "choose another id, e.g. the practice's town");
            Unique(practice.Phones, p => p.Id, "phone", d);
            Unique(practice.VoicemailBoxes, b => b.Id, "voicemail box", d);
            Unique(practice.Modes, m => m.Id, "mode", d);
            Unique(practice.Lines, l => l.Id, "line", d);
            ReferenceChecks.Check(model, practice, d);
            FeatureCodeChecks.Check(practice, d);
            PhoneChecks.Check(practice, d);
            RouteChecks.Check(practice, d);
            CalendarChecks.Check(practice, d);
            foreach (var (_, rules) in Effective(practice)) ScheduleChecks.Check(rules, d);
        }
    }

    /// <summary>The practice's own rules, then each line's rules laid over them.</summary>
    public static IEnumerable<(PracticeLine? Line, RoutingRules Rules)> Effective(Practice practice)
    {
        yield return (null, practice.Rules);
        foreach (var line in practice.Lines) yield return (line, line.Rules.Over(practice.Rules));
    }

    /// <summary>Reports an id used twice, pointing at the first one.</summary>
    public static void Unique<T>(IEnumerable<T> items, Func<T, Located<string>> id, string what, Diagnostics d)
    {
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var located = id(item);
            if (seen.TryGetValue(located.Value, out var first))
                d.Error(located.At, RuleErrorCodes.DuplicateId, $"{what} '{located.Value}' is defined twice (first at {first.Short}).",
                    $"give each {what} its own id, or merge the two");
            else seen[located.Value] = located.At;
        }
    }

    /// <summary>Reports a reference to an id that does not exist, with a suggestion.</summary>
    public static bool Known(Located<string> reference, IReadOnlyCollection<string> ids, string what, Diagnostics d)
    {
        if (ids.Contains(reference.Value)) return true;
        var hint = Suggest.DidYouMean(reference.Value, ids) is { } s ? s
            : ids.Count == 0 ? $"define the {what} first" : $"known {what}s: {string.Join(", ", ids.Take(12))}";
        d.Error(reference.At, RuleErrorCodes.UnknownReference, $"unknown {what} '{reference.Value}'.", hint);
        return false;
    }
}
