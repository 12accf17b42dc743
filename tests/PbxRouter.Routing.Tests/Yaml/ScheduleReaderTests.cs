using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Yaml;

public class ScheduleReaderTests
{
    [Test]
    public void ReadRanges_Inverted_IsAnError()
    {
        var yaml = With("\"14:00-19:00\"]\n    after_hours", "\"19:00-14:00\"]\n    after_hours");
        var error = Error(yaml, RuleErrorCodes.InvertedTimeRange);
        AssertAt(error, yaml, "\"19:00-14:00\"", "practices[0].hours.weekdays[1]");
        Assert.That(error.Hint, Does.Contain("midnight"));
    }

    [Test]
    public void ReadRanges_Overlapping_IsAnError()
    {
        var yaml = With("[\"08:00-12:00\", \"14:00-19:00\"]", "[\"08:00-12:00\", \"11:00-19:00\"]");
        AssertAt(Error(yaml, RuleErrorCodes.OverlappingTimeRange), yaml, "\"11:00-19:00\"", "practices[0].hours.weekdays[1]");
    }

    [Test]
    public void ReadRanges_NotATime_IsAnError()
    {
        var yaml = With("\"08:00-12:00\", \"14:00", "\"8h-12h\", \"14:00");
        AssertAt(Error(yaml, RuleErrorCodes.InvalidValue), yaml, "\"8h-12h\"", "practices[0].hours.weekdays[0]");
    }

    [Test]
    public void ReadHours_DayGivenTwice_IsAnError()
    {
        var yaml = With("      weekdays: [\"08:00-12:00\", \"14:00-19:00\"]", "      weekdays: [\"08:00-12:00\", \"14:00-19:00\"]\n      friday: [\"08:00-12:00\"]");
        var error = Error(yaml, RuleErrorCodes.OverlappingTimeRange);
        AssertAt(error, yaml, "friday:", "practices[0].hours.friday");
        Assert.That(error.Message, Does.Contain("weekdays"));
    }

    [Test]
    public void ReadHours_UnknownDay_SuggestsTheClosest()
    {
        var yaml = With("      weekdays: [\"08:00-12:00\", \"14:00-19:00\"]", "      weekdays: [\"08:00-12:00\", \"14:00-19:00\"]\n      saterday: [\"08:00-12:00\"]");
        var error = Error(yaml, RuleErrorCodes.UnknownField);
        AssertAt(error, yaml, "saterday", "practices[0].hours.saterday");
        Assert.That(error.Hint, Does.Contain("saturday"));
    }

    [Test]
    public void ReadClosure_EndingBeforeItStarts_IsAnError()
    {
        var yaml = With("    greeting:", "    closures:\n      - { from: 2026-08-16, to: 2026-08-03 }\n    greeting:");
        AssertAt(Error(yaml, RuleErrorCodes.InvertedTimeRange), yaml, "2026-08-03", "practices[0].closures[0].to");
    }

    [Test]
    public void ReadClosure_BadDate_IsAnError()
    {
        var yaml = With("    greeting:", "    closures:\n      - { from: 2026-02-30, to: 2026-03-03 }\n    greeting:");
        AssertAt(Error(yaml, RuleErrorCodes.InvalidValue), yaml, "2026-02-30", "practices[0].closures[0].from");
    }

    [Test]
    public void ReadHolidays_UnknownCalendar_IsAnError()
    {
        var yaml = With("    greeting:", "    holidays: { calendar: alsace }\n    greeting:");
        var error = Error(yaml, RuleErrorCodes.InvalidValue);
        AssertAt(error, yaml, "alsace }", "practices[0].holidays.calendar");
        Assert.That(error.Hint, Does.Contain("alsace-moselle"));
    }

    [Test]
    public void TryParseDays_AcceptsRangesAndShortcuts()
    {
        Assert.That(ScheduleReader.TryParseDays("mon-wed", out var days), Is.True);
        Assert.That(days, Is.EqualTo(new[] { IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday }));
        Assert.That(ScheduleReader.TryParseDays("every_day", out days) && days.Count == 7, Is.True);
        Assert.That(ScheduleReader.TryParseDays("friday-monday", out _), Is.False);
    }
}
