using static PbxRouter.Routing.Tests.SampleRules;

namespace PbxRouter.Routing.Tests.Decision;

/// <summary>Modes switched by feature codes at the Tilleuls.</summary>
public class RoutingDecisionModeTests
{
    private const string Tilleuls = "01 45 00 00 00";
    private const string Patient = "06 11 11 11 11";

    private static RuntimeState Mode(string mode, string? by = null) => RuntimeState.None.WithMode("tilleuls", mode, by);

    [Test]
    public void Decide_InAllToSecretariatMode_SkipsTheQueue()
    {
        var plan = Decide(Tilleuls, Patient, "2026-03-02 10:00", Mode("all-to-secretariat"));
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Mode));
        Assert.That(plan.Mode, Is.EqualTo("all-to-secretariat"));
        Assert.That(plan.Steps.Select(s => s.GetType()), Is.EqualTo(new[] { typeof(PlayGreeting), typeof(Overflow), typeof(Hangup) }));
        Assert.That(plan.Reason, Does.Contain("open: Monday 08:00-12:30"));
    }

    [Test]
    public void Decide_InAllToSecretariatModeAtNight_ModeDoesNotApply()
    {
        var plan = Decide(Tilleuls, Patient, "2026-03-02 23:00", Mode("all-to-secretariat"));
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Closed));
        Assert.That(plan.Reason, Does.Contain("does not apply"));
    }

    [Test]
    public void Decide_InForwardToMobileMode_ForwardsToTheMobileOfWhoeverSwitchedItOn()
    {
        var martin = Decide(Tilleuls, Patient, "2026-03-02 10:00", Mode("forward-to-mobile", "dr-martin"));
        var durand = Decide(Tilleuls, Patient, "2026-03-02 23:00", Mode("forward-to-mobile", "dr-durand"));
        Assert.That(((Forward)martin.Steps[0]).Number, Is.EqualTo("+33612345678"));
        Assert.That(((Forward)durand.Steps[0]).Number, Is.EqualTo("+33698765432"));
        Assert.That(martin.Steps[1], Is.InstanceOf<Announce>());
    }

    [Test]
    public void Decide_InForwardToMobileModeWithoutActivatingPhone_FallsBackToTheMessage()
    {
        var plan = Decide(Tilleuls, Patient, "2026-03-02 10:00", Mode("forward-to-mobile"));
        Assert.That(plan.Steps[0], Is.InstanceOf<Announce>());
    }

    [Test]
    public void Decide_InClosedModeDuringOpeningHours_SaysClosed()
    {
        var plan = Decide(Tilleuls, Patient, "2026-03-02 10:00", Mode("closed"));
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Mode));
        Assert.That(((Announce)plan.Steps[0]).Text, Does.Contain("15"));
    }

    [Test]
    public void Decide_WithUnknownMode_IgnoresItAndSaysSo()
    {
        var plan = Decide(Tilleuls, Patient, "2026-03-02 10:00", Mode("holidays-typo"));
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Open));
        Assert.That(plan.Reason, Does.Contain("'holidays-typo' is unknown"));
    }

    [Test]
    public void Decide_ModeOfAnotherPractice_DoesNotApply()
    {
        var state = RuntimeState.None.WithMode("val", "all-to-secretariat");
        Assert.That(Decide(Tilleuls, Patient, "2026-03-02 10:00", state).PracticeState, Is.EqualTo(PracticeState.Open));
    }

    [Test]
    public void Decide_BlockedCallerInAMode_IsStillRefused() =>
        Assert.That(Decide(Tilleuls, "0666666666", "2026-03-02 10:00", Mode("closed")).PracticeState, Is.EqualTo(PracticeState.Blocked));

    [Test]
    public void WithMode_Null_ClearsTheMode()
    {
        var state = Mode("closed", "dr-martin").WithMode("tilleuls", null);
        Assert.That(state.ActiveModes, Is.Empty);
        Assert.That(state.ActivatedBy, Is.Empty);
    }
}
