using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Validation;

public class ScheduleChecksTests
{
    [Test]
    public void Check_AfterHoursOverlappingOpening_IsAnError()
    {
        var yaml = With("weekdays: [\"19:00-20:00\"]", "weekdays: [\"18:30-20:00\"]");
        var errors = CompileYaml(yaml).Errors;
        Assert.That(errors.Select(e => e.Code).Distinct(), Is.EqualTo(new[] { RuleErrorCodes.OverlappingTimeRange }));
        AssertAt(errors[0], yaml, "\"18:30-20:00\"", "practices[0].after_hours.weekdays[0]");
    }

    [Test]
    public void Check_TwoExceptionalOpeningsSameDay_IsAnError()
    {
        var yaml = With("    greeting:", "    exceptional_openings:\n      - { date: 2026-12-26, hours: [\"09:00-12:00\"] }\n      - { date: 2026-12-26, hours: [\"14:00-16:00\"] }\n    greeting:");
        var error = Error(yaml, RuleErrorCodes.DuplicateId);
        Assert.That(error.Field, Is.EqualTo("practices[0].exceptional_openings[1]"));
    }

    [Test]
    public void Check_OverlappingClosures_IsAWarning()
    {
        var yaml = With("    greeting:", "    closures:\n      - { from: 2026-08-01, to: 2026-08-15 }\n      - { from: 2026-08-10, to: 2026-08-20 }\n    greeting:");
        Assert.That(Warning(yaml, RuleErrorCodes.OverlappingTimeRange).Field, Is.EqualTo("practices[0].closures[1]"));
    }

    [Test]
    public void ExceptionalOpening_OnAHoliday_OpensOnlyInItsHours()
    {
        var yaml = With("    greeting:", "    exceptional_openings:\n      - { date: 2026-12-25, hours: [\"09:00-11:00\"], reason: vaccination }\n    greeting:");
        var rules = CompileYaml(yaml).Rules!;
        CallPlan At(int hour) => RoutingDecision.Decide(rules, new CallRequest("0145000000", "", Instant.FromUtc(2026, 12, 25, hour - 1, 0)), RuntimeState.None);
        Assert.That(At(10).PracticeState, Is.EqualTo(PracticeState.Open));
        Assert.That(At(10).Reason, Does.Contain("exceptional opening 2026-12-25 (vaccination)"));
        Assert.That(At(15).PracticeState, Is.EqualTo(PracticeState.Holiday));
    }

    [Test]
    public void CustomHolidays_DatedAndYearly_CloseThePractice()
    {
        var yaml = With("    greeting:", "    holidays:\n      calendar: alsace-moselle\n      extra:\n        - { date: 2026-05-15, name: Pont de l'Ascension }\n        - { every_year: \"03-02\", name: Fête du cabinet }\n    greeting:");
        var rules = CompileYaml(yaml).Rules!;
        CallPlan On(int y, int m, int d) => RoutingDecision.Decide(rules, new CallRequest("0145000000", "", Instant.FromUtc(y, m, d, 9, 0)), RuntimeState.None);
        Assert.That(On(2026, 5, 15).Reason, Is.EqualTo("closed: Pont de l'Ascension, practice holiday"));
        Assert.That(On(2027, 3, 2).Reason, Is.EqualTo("closed: Fête du cabinet, yearly practice holiday"));
        Assert.That(On(2026, 4, 3).Reason, Is.EqualTo("closed: Good Friday, Alsace-Moselle public holiday"));
        Assert.That(On(2026, 12, 24).PracticeState, Is.EqualTo(PracticeState.Open));
    }
}
