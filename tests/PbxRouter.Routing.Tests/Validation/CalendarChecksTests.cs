using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Validation;

public class CalendarChecksTests
{
    private static string Practice(string zone, string calendar) =>
        With("    greeting:", $"    time_zone: {zone}\n    holidays: {{ calendar: {calendar} }}\n    greeting:");

    [Test]
    public void OverseasCalendar_WithParisTime_IsAWarningNamingTheTerritorysZone()
    {
        var yaml = Practice("Europe/Paris", "martinique");
        var warning = Warning(yaml, RuleErrorCodes.CalendarTimeZone);
        Assert.That(warning.Field, Is.EqualTo("practices[0].holidays.calendar"));
        Assert.That(warning.Message, Does.Contain("Martinique").And.Contain("metropolitan"));
        Assert.That(warning.Hint, Does.Contain("time_zone: America/Martinique"));
    }

    [Test]
    public void OverseasCalendar_WithoutTimeZone_IsAWarning() =>
        Assert.That(Warning(With("    greeting:", "    holidays: { calendar: reunion }\n    greeting:"), RuleErrorCodes.CalendarTimeZone).Hint,
            Does.Contain("Indian/Reunion"));

    [Test]
    public void OverseasCalendar_WithAnotherTerritorysZone_IsAWarning() =>
        Assert.That(Warning(Practice("Indian/Reunion", "guyane"), RuleErrorCodes.CalendarTimeZone).Message, Does.Contain("La Réunion's"));

    [Test]
    public void FranceCalendar_WithAnOverseasZone_IsAWarningNamingTheTerritorysCalendar()
    {
        var warning = Warning(Practice("America/Cayenne", "france"), RuleErrorCodes.CalendarTimeZone);
        Assert.That(warning.Message, Does.Contain("Guyane").And.Contain("10/06"));
        Assert.That(warning.Hint, Does.Contain("calendar: guyane"));
    }

    [Test]
    public void NoHolidays_WithAnOverseasZone_IsAWarningAtTheTimeZone()
    {
        var yaml = With("    greeting:", "    time_zone: Indian/Mayotte\n    greeting:");
        var warning = Warning(yaml, RuleErrorCodes.CalendarTimeZone);
        AssertAt(warning, yaml, "Indian/Mayotte", "practices[0].time_zone");
    }

    [TestCase("Indian/Reunion", "reunion")]
    [TestCase("America/Martinique", "martinique")]
    [TestCase("America/Guadeloupe", "guadeloupe")]
    [TestCase("America/Cayenne", "guyane")]
    [TestCase("Indian/Mayotte", "mayotte")]
    [TestCase("America/Marigot", "saint-martin")]
    [TestCase("America/St_Barthelemy", "saint-barthelemy")]
    [TestCase("Europe/Paris", "alsace-moselle")]
    [TestCase("Indian/Reunion", "none")]
    public void MatchingCalendarAndZone_IsClean(string zone, string calendar)
    {
        var result = CompileYaml(Practice(zone, calendar));
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        Assert.That(result.Warnings, Is.Empty, string.Join("\n", result.Warnings));
    }

    [Test]
    public void LineWithItsOwnOverseasCalendar_IsCheckedAgainstThePracticesZone()
    {
        var yaml = With("    routes:", "    lines:\n      - { id: l1, numbers: [\"01 45 00 00 99\"], holidays: { calendar: reunion } }\n    routes:");
        Assert.That(Warning(yaml, RuleErrorCodes.CalendarTimeZone).Field, Does.StartWith("practices[0].lines[0].holidays"));
    }
}
