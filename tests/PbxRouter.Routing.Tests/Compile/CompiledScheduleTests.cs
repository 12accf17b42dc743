using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Compile;

public class CompiledScheduleTests
{
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
