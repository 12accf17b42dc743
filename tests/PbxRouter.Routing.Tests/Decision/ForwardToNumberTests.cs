using PbxRouter.Routing.Model;
using static PbxRouter.Routing.Tests.SampleRules;

namespace PbxRouter.Routing.Tests.Decision;

/// <summary>GSM-style forwarding at the Tilleuls: *21*NUMBER# (by the practice's outgoing policy), #21#, *#21#, and where calls then go.</summary>
public class ForwardToNumberTests
{
    private const string Tilleuls = "01 45 00 00 00";
    private const string Patient = "06 11 11 11 11";

    private static FeatureCodeOutcome? Dial(string phone, string code, RuntimeState? state = null) =>
        FeatureCodeDecision.Decide(Rules, "tilleuls", phone, code, state ?? RuntimeState.None);

    [Test]
    public void Star21NumberHash_ToAMobile_ForwardsThePracticeInE164()
    {
        var outcome = Dial("dr-martin", "*21*0612345678#")!;
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Action, Is.EqualTo(FeatureAction.ForwardToNumber));
            Assert.That(outcome.Refused, Is.Null);
            Assert.That(outcome.RequiresPin, Is.False, "dr-martin is in without_pin");
            Assert.That(outcome.ForwardTo, Is.EqualTo("+33612345678"));
            Assert.That(outcome.NewState.ForwardedTo["tilleuls"], Is.EqualTo("+33612345678"));
            Assert.That(outcome.NewState.ActivatedBy["tilleuls"], Is.EqualTo("dr-martin"));
            Assert.That(outcome.NewState.ActiveModes, Is.Empty);
            Assert.That(outcome.Why, Does.Contain("mobiles: true"));
        });
    }

    [Test]
    public void Star21NumberHash_FromReception_NeedsThePin() =>
        Assert.That(Dial("accueil-1", "*21*0145678901#")!.RequiresPin, Is.True);

    [TestCase("*21*0899123456#", NumberKind.Premium, "premium: false")]
    [TestCase("*21*3949#", NumberKind.Premium, "premium: false")]
    [TestCase("*21*00442079460000#", NumberKind.International, "international: false")]
    [TestCase("*21*+442079460000#", NumberKind.International, "international: false")]
    public void Star21NumberHash_ToANumberThePolicyRefuses_IsRefusedAndChangesNothing(string dialled, NumberKind kind, string policy)
    {
        var outcome = Dial("dr-martin", dialled)!;
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Refused, Does.Contain(policy));
            Assert.That(outcome.NumberKind, Is.EqualTo(kind));
            Assert.That(outcome.NewState, Is.SameAs(RuntimeState.None));
            Assert.That(outcome.ForwardTo, Is.Null);
        });
    }

    [TestCase("*21*15#", "emergency number")]
    [TestCase("*21*0145000000#", "practice's own number")]
    [TestCase("*21*12#", "not a phone number")]
    public void Star21NumberHash_ToAnEmergencyTheOwnOrNoNumber_IsRefused(string dialled, string why)
    {
        var outcome = Dial("dr-martin", dialled)!;
        Assert.That(outcome.Refused, Does.Contain(why));
        Assert.That(outcome.NewState.ForwardedTo, Is.Empty);
    }

    [Test]
    public void Hash21Hash_CancelsAForwardAndAMode()
    {
        var forwarded = RuntimeState.None.WithForward("tilleuls", "+33612345678", "dr-martin");
        Assert.That(Dial("dr-durand", "#21#", forwarded)!.NewState.ForwardedTo, Is.Empty);
        var mode = RuntimeState.None.WithMode("tilleuls", "closed", "dr-martin");
        Assert.That(Dial("dr-durand", "#21#", mode)!.NewState.ActiveModes, Is.Empty);
    }

    [Test]
    public void Hash21_TheRulesCancelCode_AlsoEndsAForward() =>
        Assert.That(Dial("dr-martin", "#21", RuntimeState.None.WithForward("tilleuls", "+33612345678"))!.NewState.ForwardedTo, Is.Empty);

    [Test]
    public void ActivatingAMode_ReplacesTheForward()
    {
        var state = Dial("dr-martin", "*21", RuntimeState.None.WithForward("tilleuls", "+33612345678"))!.NewState;
        Assert.That(state.ForwardedTo, Is.Empty);
        Assert.That(state.ActiveModes["tilleuls"], Is.EqualTo("all-to-secretariat"));
    }

    [Test]
    public void StarHash21Hash_SaysWhatIsOn()
    {
        var none = Dial("dr-martin", "*#21#")!;
        var mode = Dial("dr-martin", "*#21#", RuntimeState.None.WithMode("tilleuls", "closed"))!;
        var forward = Dial("accueil-1", "*#21#", RuntimeState.None.WithForward("tilleuls", "+33612345678"))!;
        Assert.Multiple(() =>
        {
            Assert.That(none.Action, Is.EqualTo(FeatureAction.Status));
            Assert.That((none.ActiveMode, none.ActiveForward), Is.EqualTo(((string?)null, (string?)null)));
            Assert.That(mode.ActiveMode, Is.EqualTo("closed"));
            Assert.That(mode.ActiveModeCode, Is.EqualTo("*28"));
            Assert.That(forward.ActiveForward, Is.EqualTo("+33612345678"));
            Assert.That(forward.RequiresPin, Is.True, "the forward's number is not told to any phone without the PIN");
        });
    }

    [Test]
    public void PhoneDialDecision_SeesTheGsmFormsAsFeatureCodes()
    {
        Assert.That(PhoneDialDecision.Decide(Rules, "tilleuls", "dr-martin", "*21*0612345678#")!.Kind, Is.EqualTo(PhoneDialKind.FeatureCode));
        Assert.That(PhoneDialDecision.Decide(Rules, "tilleuls", "dr-martin", "*#21#")!.Kind, Is.EqualTo(PhoneDialKind.FeatureCode));
    }

    [Test]
    public void Decide_WhileForwarded_RingsTheNumberThenTheFallbackBoxWhateverTheSchedule()
    {
        var state = RuntimeState.None.WithForward("tilleuls", "+33612345678", "dr-martin");
        foreach (var at in new[] { "2026-03-02 10:00", "2026-03-02 23:00", "2026-12-25 10:00" })
        {
            var plan = Decide(Tilleuls, Patient, at, state);
            Assert.Multiple(() =>
            {
                Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Forwarded), at);
                Assert.That(plan.Reason, Does.StartWith("forwarded to 06 12 34 56 78 by dr-martin"), at);
                Assert.That(plan.Steps.Select(s => s.GetType()), Is.EqualTo(new[] { typeof(Forward), typeof(Voicemail), typeof(Hangup) }), at);
                Assert.That(((Forward)plan.Steps[0]).Number, Is.EqualTo("+33612345678"));
                Assert.That(((Voicemail)plan.Steps[1]).Box, Is.EqualTo("tilleuls"));
                Assert.That(PlanFormatter.ToText(plan), Does.Contain("Forward to +33612345678").And.Contain("State:    Forwarded"));
            });
        }
    }

    [Test]
    public void Decide_WhileForwarded_ABlockedCallerIsStillRefused() =>
        Assert.That(Decide(Tilleuls, "06 66 66 66 66", "2026-03-02 10:00", RuntimeState.None.WithForward("tilleuls", "+33612345678")).PracticeState,
            Is.EqualTo(PracticeState.Blocked));

    [Test]
    public void Decide_AForwardThePolicyNoLongerAllows_IsIgnoredAndSaysSo()
    {
        // Stored while allowed (or by hand): the rules in force refuse premium numbers, so the schedule applies.
        var plan = Decide(Tilleuls, Patient, "2026-03-02 10:00", RuntimeState.None.WithForward("tilleuls", "+33899123456"));
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Open));
        Assert.That(plan.Reason, Does.Contain("the forward to 08 99 12 34 56 was ignored: the practice's outgoing policy does not allow it (premium: false)"));
    }

    [Test]
    public void Decide_AnotherPracticesForward_ChangesNothingHere() =>
        Assert.That(Decide(Tilleuls, Patient, "2026-03-02 10:00", RuntimeState.None.WithForward("val", "+33612345678")).PracticeState,
            Is.EqualTo(PracticeState.Open));
}
