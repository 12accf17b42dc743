using static PbxRouter.Routing.Tests.SampleRules;

namespace PbxRouter.Routing.Tests.Decision;

/// <summary>The Maison de santé du Val (samples/rules/val.yaml): shared number, direct lines, the nurses' line.</summary>
public class RoutingDecisionValTests
{
    private const string Val = "04 72 00 00 00";
    private const string Nurses = "04 72 00 00 14";
    private const string Leroy = "04 72 00 00 11";
    private const string Patient = "06 11 11 11 11";

    [Test]
    public void Decide_SharedNumber_RingsThreePhonesRoundRobinThenOverflowsAfter60s()
    {
        var plan = Decide(Val, Patient, "2026-03-02 10:00");
        var queue = plan.Steps.OfType<Queue>().Single();
        Assert.That(queue.Members, Is.EqualTo(new[] { "accueil-1", "accueil-2", "accueil-3" }));
        Assert.That(queue.Strategy, Is.EqualTo(QueueStrategy.RoundRobin));
        Assert.That(queue.MaxWait, Is.EqualTo(TimeSpan.FromSeconds(60)));
        var target = plan.Steps.OfType<Overflow>().Single().Targets.Single();
        Assert.That(target.Destination, Is.EqualTo("sip:val@sip.medicall.example.fr"));
        Assert.That(target.HistoryInfo, Is.True);
        Assert.That(target.Headers.ContainsKey("X-Practitioner"), Is.False);
    }

    [Test]
    public void Decide_PractitionerLine_OverflowsWithThePractitionerTag()
    {
        var plan = Decide(Leroy, Patient, "2026-03-02 10:00");
        Assert.That(plan.LineId, Is.EqualTo("dr-leroy"));
        var headers = plan.Steps.OfType<Overflow>().Single().Targets.Single().Headers;
        Assert.That(headers["X-Practitioner"], Is.EqualTo("dr-leroy"));
        Assert.That(headers["X-Practice"], Is.EqualTo("maison-du-val"));
    }

    [Test]
    public void Decide_PractitionerLine_UsesItsOwnHours()
    {
        Assert.That(Decide(Leroy, Patient, "2026-03-02 13:00").PracticeState, Is.EqualTo(PracticeState.Lunch));
        Assert.That(Decide(Leroy, Patient, "2026-03-02 18:45").PracticeState, Is.EqualTo(PracticeState.Closed));
        Assert.That(Decide(Val, Patient, "2026-03-02 18:45").PracticeState, Is.EqualTo(PracticeState.Open));
    }

    [TestCase("2026-03-08 10:00")] // Sunday
    [TestCase("2026-04-06 10:00")] // Easter Monday
    [TestCase("2026-12-25 19:59")] // Christmas
    [TestCase("2026-03-02 07:00")]
    public void Decide_NursesLine_IsOpenEveryDayIncludingSundaysAndHolidays(string at)
    {
        var plan = Decide(Nurses, Patient, at);
        Assert.That(plan.LineId, Is.EqualTo("infirmieres"));
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Open));
        Assert.That(plan.Steps.Select(s => s.GetType()),
            Is.EqualTo(new[] { typeof(PlayGreeting), typeof(Queue), typeof(Escalate), typeof(Voicemail), typeof(Hangup) }));
        Assert.That(((Escalate)plan.Steps[2]).Contacts.Select(c => c.Name), Is.EqualTo(new[] { "Mme Blanc", "Mme Garnier" }));
    }

    [Test]
    public void Decide_NursesLineAtNight_SaysClosedWithItsOwnMessage()
    {
        var plan = Decide(Nurses, Patient, "2026-03-08 21:00");
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Closed));
        Assert.That(((Announce)plan.Steps[0]).Text, Does.Contain("20 h à 7 h").And.Contain("15"));
    }

    [Test]
    public void Decide_SecondNurseNumber_ReachesTheSameLine() =>
        Assert.That(Decide("04 72 00 00 16", Patient, "2026-03-08 10:00").LineId, Is.EqualTo("infirmieres"));

    [Test]
    public void Decide_SharedNumberOnSunday_IsClosed() =>
        Assert.That(Decide(Val, Patient, "2026-03-08 10:00").PracticeState, Is.EqualTo(PracticeState.Closed));

    [Test]
    public void Decide_AllToSecretariatMode_LeavesTheNursesLineAlone()
    {
        var state = RuntimeState.None.WithMode("val", "all-to-secretariat");
        Assert.That(Decide(Val, Patient, "2026-03-02 10:00", state).PracticeState, Is.EqualTo(PracticeState.Mode));
        Assert.That(Decide(Leroy, Patient, "2026-03-02 10:00", state).PracticeState, Is.EqualTo(PracticeState.Mode));
        Assert.That(Decide(Nurses, Patient, "2026-03-02 10:00", state).PracticeState, Is.EqualTo(PracticeState.Open));
    }
}
