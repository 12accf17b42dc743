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
}
