using static PbxRouter.Routing.Tests.SampleRules;

namespace PbxRouter.Routing.Tests.Decision;

/// <summary>The Cabinet médical des Tilleuls (samples/rules/tilleuls.yaml) at representative instants.</summary>
public class RoutingDecisionTests
{
    private const string Tilleuls = "01 45 00 00 00";
    private const string Patient = "06 11 11 11 11";

    private static Type[] Kinds(CallPlan plan) => plan.Steps.Select(s => s.GetType()).ToArray();

    [Test]
    public void Decide_OnWeekdayMorning_GreetsQueuesThenOverflows()
    {
        var plan = Decide(Tilleuls, Patient, "2026-03-02 10:00");
        Assert.That(plan.PracticeId, Is.EqualTo("tilleuls"));
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Open));
        Assert.That(plan.Reason, Is.EqualTo("open: Monday 08:00-12:30"));
        Assert.That(Kinds(plan), Is.EqualTo(new[] { typeof(PlayGreeting), typeof(Queue), typeof(Overflow), typeof(Hangup) }));
        var queue = (Queue)plan.Steps[1];
        Assert.Multiple(() =>
        {
            Assert.That(queue.Members, Is.EqualTo(new[] { "accueil-1", "accueil-2" }));
            Assert.That(queue.Strategy, Is.EqualTo(QueueStrategy.RingAll));
            Assert.That(queue.RingTime, Is.EqualTo(TimeSpan.FromSeconds(20)));
            Assert.That(queue.MaxWait, Is.EqualTo(TimeSpan.FromSeconds(45)));
            Assert.That(queue.MaxCallers, Is.EqualTo(3));
            Assert.That(queue.PositionInterval, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(queue.UrgentKey, Is.EqualTo("9"));
            Assert.That(queue.OverflowWhenAllBusy, Is.True);
        });
        var target = ((Overflow)plan.Steps[2]).Targets.Single();
        Assert.That(target.Destination, Is.EqualTo("+33567000000"));
        Assert.That(target.Diversion, Is.True);
        Assert.That(plan.Steps.All(s => s.Why.Length > 0));
    }

    [Test]
    public void Decide_OnWeekdayMorning_UrgentKeyEscalatesToDoctorsWithScreening()
    {
        var plan = Decide(Tilleuls, Patient, "2026-03-02 10:00");
        var escalate = (Escalate)plan.UrgentSteps[0];
        Assert.That(escalate.Contacts.Select(c => c.Number), Is.EqualTo(new[] { "+33612345678", "+33698765432" }));
        Assert.That(escalate.Contacts[0].RingTime, Is.EqualTo(TimeSpan.FromSeconds(25)));
        Assert.That(escalate.ScreeningKey, Is.EqualTo("1"));
        var voicemail = (Voicemail)plan.UrgentSteps[1];
        Assert.That(voicemail.Urgent, Is.True);
        Assert.That(voicemail.Box, Is.EqualTo("tilleuls-urgent"));
    }

    [Test]
    public void Decide_AtLunch_GoesStraightToTheSecretariat()
    {
        var plan = Decide(Tilleuls, Patient, "2026-03-02 13:00");
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Lunch));
        Assert.That(plan.Reason, Is.EqualTo("lunch: Monday between 12:30 and 14:00"));
        Assert.That(Kinds(plan), Is.EqualTo(new[] { typeof(PlayGreeting), typeof(Overflow), typeof(Hangup) }));
    }

    [Test]
    public void Decide_InTheEveningUntil20_RoutesToTheSecretariat()
    {
        var plan = Decide(Tilleuls, Patient, "2026-03-02 19:30");
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.AfterHours));
        Assert.That(plan.Steps.OfType<Overflow>(), Is.Not.Empty);
    }

    [TestCase("2026-03-02 20:00")]
    [TestCase("2026-03-02 23:30")]
    [TestCase("2026-03-03 07:59")]
    public void Decide_LateAtNight_SaysClosedWith15And116117ThenVoicemail(string at)
    {
        var plan = Decide(Tilleuls, Patient, at);
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Closed));
        Assert.That(Kinds(plan), Is.EqualTo(new[] { typeof(Announce), typeof(Voicemail), typeof(Hangup) }));
        var text = ((Announce)plan.Steps[0]).Text;
        Assert.That(text, Does.Contain("15").And.Contain("116 117"));
        Assert.That(plan.UrgentSteps, Is.Empty);
    }

    [Test]
    public void Decide_OnSaturdayMorning_IsOpen() =>
        Assert.That(Decide(Tilleuls, Patient, "2026-03-07 10:00").Reason, Is.EqualTo("open: Saturday 08:30-12:00"));

    [Test]
    public void Decide_OnSaturdayAfternoon_IsClosed()
    {
        var plan = Decide(Tilleuls, Patient, "2026-03-07 15:00");
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Closed));
        Assert.That(plan.Reason, Is.EqualTo("closed: outside opening hours (Saturday: 08:30-12:00)"));
    }

    [Test]
    public void Decide_OnSunday_IsClosed() =>
        Assert.That(Decide(Tilleuls, Patient, "2026-03-08 11:00").Reason, Is.EqualTo("closed: outside opening hours (Sunday: closed all day)"));

    [TestCase("2026-04-06 10:00", "closed: Easter Monday, French public holiday")]
    [TestCase("2026-05-14 10:00", "closed: Ascension Day, French public holiday")]
    [TestCase("2026-05-25 10:00", "closed: Whit Monday, French public holiday")]
    [TestCase("2026-07-14 10:00", "closed: Bastille Day, French public holiday")]
    [TestCase("2026-12-25 10:00", "closed: Christmas Day, French public holiday")]
    public void Decide_OnPublicHoliday_RoutesToClosed(string at, string reason)
    {
        var plan = Decide(Tilleuls, Patient, at);
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Holiday));
        Assert.That(plan.Reason, Is.EqualTo(reason));
        Assert.That(plan.Steps[0], Is.InstanceOf<Announce>());
    }

    [Test]
    public void Decide_OnEasterMonday_RoutesToClosed() =>
        Assert.That(Decide(Tilleuls, Patient, "2026-04-06 10:00").Steps.OfType<Voicemail>().Single().Box, Is.EqualTo("tilleuls"));

    [TestCase("2026-08-03 10:00")]
    [TestCase("2026-08-10 10:00")]
    [TestCase("2026-08-14 18:00")]
    [TestCase("2026-08-15 10:00")] // Assumption Day falls inside the closure: the closure is the reason
    public void Decide_DuringAugustClosure_RoutesToClosure(string at)
    {
        var plan = Decide(Tilleuls, Patient, at);
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Closure));
        Assert.That(plan.Reason, Is.EqualTo("closed: summer closure, closure from 2026-08-03 to 2026-08-16"));
    }

    [Test]
    public void Decide_TheDayAfterTheClosure_IsOpenAgain() =>
        Assert.That(Decide(Tilleuls, Patient, "2026-08-17 09:00").PracticeState, Is.EqualTo(PracticeState.Open));

    [TestCase("01 40 00 00 00")]
    [TestCase("+33140000001")]
    public void Decide_ForVipBiolab_GoesToTheQueueWithoutGreeting(string caller)
    {
        var plan = Decide(Tilleuls, caller, "2026-03-02 10:00");
        Assert.That(plan.Vip, Is.EqualTo("Biolab"));
        Assert.That(Kinds(plan), Is.EqualTo(new[] { typeof(Queue), typeof(Overflow), typeof(Hangup) }));
        Assert.That(plan.Steps[0].Why, Does.Contain("VIP caller Biolab"));
    }

    [Test]
    public void Decide_ForVipBiolabWhenClosed_StillRingsReceptionFirst()
    {
        var plan = Decide(Tilleuls, "0140000000", "2026-03-02 22:00");
        Assert.That(Kinds(plan), Is.EqualTo(new[] { typeof(Queue), typeof(Announce), typeof(Voicemail), typeof(Hangup) }));
        Assert.That(plan.UrgentSteps[0], Is.InstanceOf<Escalate>(), "the queue offers the urgent key, so its branch is there");
    }

    [Test]
    public void Decide_ForBlockedCaller_Refuses()
    {
        var plan = Decide(Tilleuls, "06 66 66 66 66", "2026-03-02 10:00");
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Blocked));
        Assert.That(((Refuse)plan.Steps.Single()).SipStatus, Is.EqualTo(403));
        Assert.That(plan.Steps[0].Why, Does.Contain("harassment"));
    }

    [Test]
    public void Decide_ForUnknownCalledNumber_RefusesWith404()
    {
        var plan = Decide("01 99 99 99 99", Patient, "2026-03-02 10:00");
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.UnknownNumber));
        Assert.That(plan.PracticeId, Is.Null);
        Assert.That(((Refuse)plan.Steps.Single()).SipStatus, Is.EqualTo(404));
    }

    [TestCase("+33145000000")]
    [TestCase("33145000000")]
    [TestCase("0145000000")]
    [TestCase("145000000")]
    public void Decide_CalledNumberInAnyFormat_FindsThePractice(string called) =>
        Assert.That(Decide(called, "anonymous", "2026-03-02 10:00").PracticeId, Is.EqualTo("tilleuls"));
}
