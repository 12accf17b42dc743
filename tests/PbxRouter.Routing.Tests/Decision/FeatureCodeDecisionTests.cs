using PbxRouter.Routing.Model;
using static PbxRouter.Routing.Tests.SampleRules;

namespace PbxRouter.Routing.Tests.Decision;

public class FeatureCodeDecisionTests
{
    private static FeatureCodeOutcome? Dial(string phone, string code, RuntimeState? state = null) =>
        FeatureCodeDecision.Decide(Rules, "tilleuls", phone, code, state ?? RuntimeState.None);

    [Test]
    public void Decide_Star21FromDoctorsPhone_ActivatesWithoutPin()
    {
        var outcome = Dial("dr-martin", "*21")!;
        Assert.That(outcome.RequiresPin, Is.False);
        Assert.That(outcome.NewState.ActiveModes["tilleuls"], Is.EqualTo("all-to-secretariat"));
        Assert.That(outcome.NewState.ActivatedBy["tilleuls"], Is.EqualTo("dr-martin"));
    }

    [Test]
    public void Decide_Star21FromReception_RequiresTheDoctorsPin()
    {
        var outcome = Dial("accueil-1", "*21")!;
        Assert.That(outcome.RequiresPin, Is.True);
        Assert.That(outcome.PinEnv, Is.EqualTo("TILLEULS_DOCTORS_PIN"));
        Assert.That(outcome.Allowed, Is.True);
    }

    [Test]
    public void Decide_Hash21_CancelsTheMode()
    {
        var on = Dial("dr-martin", "*21")!.NewState;
        Assert.That(Dial("dr-martin", "#21", on)!.NewState.ActiveModes, Is.Empty);
    }

    [Test]
    public void Decide_Star28_TogglesClosed()
    {
        var on = Dial("dr-durand", "*28")!.NewState;
        Assert.That(on.ActiveModes["tilleuls"], Is.EqualTo("closed"));
        Assert.That(Dial("dr-durand", "*28", on)!.NewState.ActiveModes, Is.Empty);
    }

    [Test]
    public void Decide_Star97_OpensTheVoicemailBox()
    {
        var outcome = Dial("dr-martin", "*97")!;
        Assert.That(outcome.Action, Is.EqualTo(FeatureAction.Voicemail));
        Assert.That(outcome.VoicemailBox, Is.EqualTo("tilleuls"));
    }

    [Test]
    public void Decide_Star97_FromAnOwnerPhone_NeedsNoPin_FromAnotherPhone_TheBoxsPin()
    {
        var owner = Dial("accueil-1", "*97")!;
        var doctor = Dial("dr-martin", "*97")!;
        Assert.Multiple(() =>
        {
            Assert.That(owner.RequiresPin, Is.False);
            Assert.That(owner.Why, Does.Contain("owner phones"));
            Assert.That(doctor.RequiresPin, Is.True, "dr-martin is in the feature codes' without_pin, but not an owner of the box");
            Assert.That(doctor.PinEnv, Is.EqualTo("TILLEULS_VOICEMAIL_PIN"));
            Assert.That(doctor.Why, Does.Contain("after the box's PIN (TILLEULS_VOICEMAIL_PIN)"));
        });
    }

    [Test]
    public void Decide_NotACode_IsNull() => Assert.That(Dial("dr-martin", "*99"), Is.Null);
}
