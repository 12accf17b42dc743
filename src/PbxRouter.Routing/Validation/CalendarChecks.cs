using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>Warns when a practice's holiday calendar and its time zone belong to different places (an overseas calendar
/// with a metropolitan or another territory's zone, or France's calendar with an overseas zone).</summary>
internal static class CalendarChecks
{
    public static void Check(Practice practice, Diagnostics d)
    {
        var zone = practice.TimeZone;
        Check(practice.Rules.Holidays, zone, d);
        foreach (var line in practice.Lines)
            if (line.Rules.Holidays is { } own) Check(own, zone, d);
    }

    private static void Check(HolidayRules? holidays, Located<string> zone, Diagnostics d)
    {
        var calendar = holidays?.Calendar ?? HolidayCalendar.France;
        var at = holidays?.At is { } h ? h with { Field = h.Field + ".calendar" } : zone.At;
        if (OverseasTerritory.Of(calendar) is { } territory)
        {
            if (zone.Value == territory.TimeZone) return;
            var other = OverseasTerritory.OfTimeZone(zone.Value);
            if (zone.Value.StartsWith("Europe/", StringComparison.Ordinal) || other is not null)
                d.Warn(at, RuleErrorCodes.CalendarTimeZone,
                    $"calendar '{territory.Key}' is {territory.Name}'s but the practice's time zone is {zone.Value} ({(other is null ? "metropolitan" : other.Name + "'s")}): its hours would be read on that clock.",
                    $"set time_zone: {territory.TimeZone} (at {zone.At.Short}), or choose the calendar of the practice's place");
        }
        else if (calendar is HolidayCalendar.France or HolidayCalendar.AlsaceMoselle && OverseasTerritory.OfTimeZone(zone.Value) is { } local)
            d.Warn(at, RuleErrorCodes.CalendarTimeZone,
                $"the practice's time zone {zone.Value} is {local.Name}'s but its calendar is metropolitan France's: {local.Name}'s abolition of slavery day ({local.AbolitionDay:00}/{local.AbolitionMonth:00}) would be a working day.",
                $"holidays: {{ calendar: {local.Key} }}");
    }
}
