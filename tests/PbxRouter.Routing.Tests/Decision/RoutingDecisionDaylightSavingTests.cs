using static PbxRouter.Routing.Tests.SampleRules;

namespace PbxRouter.Routing.Tests.Decision;

/// <summary>Rules are evaluated in the practice's local time, across the March and October changes.</summary>
public class RoutingDecisionDaylightSavingTests
{
    private const string Nurses = "04 72 00 00 14"; // open 07:00-20:00 every day, Sundays included

    private static CallPlan At(string called, Instant instant) =>
        RoutingDecision.Decide(Rules, new CallRequest(called, "0611111111", instant), RuntimeState.None);

    private static Instant Utc(int month, int day, int hour, int minute) => Instant.FromUtc(2026, month, day, hour, minute);

    [Test]
    public void Decide_OnSpringForwardSunday_OpensAt7LocalWhichIs5Utc()
    {
        // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST; 07:00 local is 05:00 UTC (it was 06:00 UTC the day before)
        Assert.That(At(Nurses, Utc(3, 29, 4, 59)).PracticeState, Is.EqualTo(PracticeState.Closed));
        Assert.That(At(Nurses, Utc(3, 29, 5, 0)).PracticeState, Is.EqualTo(PracticeState.Open));
        Assert.That(At(Nurses, Utc(3, 28, 5, 30)).PracticeState, Is.EqualTo(PracticeState.Closed)); // Saturday 06:30 CET
        Assert.That(At(Nurses, Utc(3, 29, 17, 59)).PracticeState, Is.EqualTo(PracticeState.Open));  // 19:59 CEST
        Assert.That(At(Nurses, Utc(3, 29, 18, 0)).PracticeState, Is.EqualTo(PracticeState.Closed)); // 20:00 CEST
    }

    [Test]
    public void Decide_OnFallBackSunday_OpensAt7LocalWhichIs6Utc()
    {
        // 2026-10-25: clocks go from 03:00 CEST back to 02:00 CET; 07:00 local is 06:00 UTC
        Assert.That(At(Nurses, Utc(10, 25, 5, 59)).PracticeState, Is.EqualTo(PracticeState.Closed));
        Assert.That(At(Nurses, Utc(10, 25, 6, 0)).PracticeState, Is.EqualTo(PracticeState.Open));
        Assert.That(At(Nurses, Utc(10, 25, 18, 59)).PracticeState, Is.EqualTo(PracticeState.Open));  // 19:59 CET
        Assert.That(At(Nurses, Utc(10, 25, 19, 0)).PracticeState, Is.EqualTo(PracticeState.Closed)); // 20:00 CET
    }

    private const string NightYaml = """
        practices:
          - id: night
            name: Night line
            numbers: ["01 45 00 00 09"]
            phones: [{ id: p, password_env: P }]
            hours: { sunday: ["02:00-03:00"] }
            messages: { closed: "Fermé. Urgence vitale : le 15. Médecin de garde : 116 117." }
            queue: { members: [p] }
            routes: { open: [queue, hangup], closed: [{ announce: closed }, hangup] }
        """;

    [Test]
    public void Decide_RangeInTheSkippedHour_NeverOpensOnSpringForwardSunday()
    {
        var rules = RulesCompiler.Compile("night.yaml", NightYaml).Rules!;
        var dayBefore = RoutingDecision.Decide(rules, new("0145000009", "", Utc(3, 22, 1, 30)), RuntimeState.None);
        Assert.That(dayBefore.PracticeState, Is.EqualTo(PracticeState.Open)); // a normal Sunday, 02:30 CET
        for (var minute = 0; minute < 4 * 60; minute++)
        {
            var instant = Utc(3, 29, 0, 0).Plus(Duration.FromMinutes(minute)); // 01:00 CET .. 05:59 CEST
            var plan = RoutingDecision.Decide(rules, new("0145000009", "", instant), RuntimeState.None);
            Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Closed), plan.LocalTime.ToString());
        }
    }

    [Test]
    public void Decide_RangeInTheRepeatedHour_IsOpenBothTimesOnFallBackSunday()
    {
        var rules = RulesCompiler.Compile("night.yaml", NightYaml).Rules!;
        var first = RoutingDecision.Decide(rules, new("0145000009", "", Utc(10, 25, 0, 30)), RuntimeState.None);  // 02:30 CEST
        var second = RoutingDecision.Decide(rules, new("0145000009", "", Utc(10, 25, 1, 30)), RuntimeState.None); // 02:30 CET
        Assert.That(first.LocalTime, Is.EqualTo(second.LocalTime));
        Assert.That(first.PracticeState, Is.EqualTo(PracticeState.Open));
        Assert.That(second.PracticeState, Is.EqualTo(PracticeState.Open));
        Assert.That(RoutingDecision.Decide(rules, new("0145000009", "", Utc(10, 25, 2, 0)), RuntimeState.None).PracticeState,
            Is.EqualTo(PracticeState.Closed)); // 03:00 CET
    }

    [Test]
    public void Decide_TilleulsOnDaylightSavingSaturdays_UsesLocalHours()
    {
        // the day before each change: Saturday 08:30 local opens, whatever the offset
        Assert.That(At("0145000000", Utc(3, 28, 7, 30)).PracticeState, Is.EqualTo(PracticeState.Open));   // 08:30 CET
        Assert.That(At("0145000000", Utc(10, 24, 6, 30)).PracticeState, Is.EqualTo(PracticeState.Open));  // 08:30 CEST
        Assert.That(At("0145000000", Utc(10, 24, 6, 29)).PracticeState, Is.EqualTo(PracticeState.Closed));
    }
}
