using NodaTime;
using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>Checks that need the whole schedule: after-hours against opening hours, closures, exceptional openings.</summary>
internal static class ScheduleChecks
{
    public static void Check(RoutingRules rules, Diagnostics d)
    {
        if (rules.Hours is { } hours && hours.Days.Values.All(r => r.Count == 0) && (rules.ExceptionalOpenings?.Count ?? 0) == 0)
            d.Warn(hours.At, RuleErrorCodes.Unreachable, "the opening hours are empty: routes.open never applies.", "give at least one day, e.g. weekdays: [\"08:00-12:00\"]");
        if (rules.Hours is { } open && rules.AfterHours is { } after)
            for (var day = IsoDayOfWeek.Monday; day <= IsoDayOfWeek.Sunday; day++)
                foreach (var a in after.On(day))
                    foreach (var o in open.On(day).Where(o => a.Start < o.End && o.Start < a.End))
                        d.Error(a.At, RuleErrorCodes.OverlappingTimeRange, $"after-hours range {a} overlaps opening range {o} on {day}.",
                            $"after hours start when the practice closes, e.g. \"{Values.FormatMinutes(o.End)}-20:00\"");

        var closures = (rules.Closures ?? []).OrderBy(c => c.From).ToList();
        for (var i = 1; i < closures.Count; i++)
            if (closures[i].From <= closures[i - 1].To)
                d.Warn(closures[i].At, RuleErrorCodes.OverlappingTimeRange,
                    $"closure {closures[i].From:yyyy-MM-dd}..{closures[i].To:yyyy-MM-dd} overlaps {closures[i - 1].From:yyyy-MM-dd}..{closures[i - 1].To:yyyy-MM-dd}.",
                    "merge the two closures");

        var seen = new Dictionary<LocalDate, SourceLocation>();
        foreach (var e in rules.ExceptionalOpenings ?? [])
        {
            if (seen.TryGetValue(e.Date, out var first))
                d.Error(e.At, RuleErrorCodes.DuplicateId, $"{e.Date:yyyy-MM-dd} has two exceptional openings (first at {first.Short}).", "put all the ranges of that day in one entry");
            else seen[e.Date] = e.At;
            if (e.Hours.Count == 0)
                d.Error(e.At with { Field = e.At.Field + ".hours" }, RuleErrorCodes.MissingField, "an exceptional opening needs hours.", "e.g. hours: [\"08:00-12:00\"]");
        }
    }
}
