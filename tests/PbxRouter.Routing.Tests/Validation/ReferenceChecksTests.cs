using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Validation;

public class ReferenceChecksTests
{
    [Test]
    public void Check_UnknownQueueMember_NamesTheMemberAndSuggests()
    {
        var yaml = With("members: [accueil-1, accueil-2]", "members: [accueil-1, acceuil-2]");
        var error = Error(yaml, RuleErrorCodes.UnknownReference);
        AssertAt(error, yaml, "acceuil-2", "practices[0].queue.members[1]");
        Assert.That(error.Message, Is.EqualTo("unknown phone 'acceuil-2'."));
        Assert.That(error.Hint, Is.EqualTo("did you mean 'accueil-2'?"));
    }

    [Test]
    public void Check_UnknownSecretariat_IsAnError()
    {
        var yaml = With("to: [sec]", "to: [servitel]");
        var error = Error(yaml, RuleErrorCodes.UnknownReference);
        AssertAt(error, yaml, "servitel", "practices[0].overflow.to[0]");
        Assert.That(error.Hint, Does.Contain("sec"));
    }

    [Test]
    public void Check_UnknownMode_InFeatureCode_IsAnError()
    {
        var yaml = With("toggle: closed }", "toggle: ferme }");
        AssertAt(Error(yaml, RuleErrorCodes.UnknownReference), yaml, "ferme", "practices[0].feature_codes.codes[0].toggle");
    }

    [Test]
    public void Check_UnknownVoicemailBox_InRoute_IsAnError()
    {
        var yaml = With("closed: [{ announce: closed }, { voicemail: cabinet }]", "closed: [{ announce: closed }, { voicemail: cabinett }]");
        AssertAt(Error(yaml, RuleErrorCodes.UnknownReference), yaml, "cabinett", "practices[0].routes.closed[1].voicemail");
    }

    [Test]
    public void Check_UnknownMessage_IsAnError()
    {
        var yaml = With("closed: [{ announce: closed }, { voicemail: cabinet }]", "closed: [{ announce: ferme }, { voicemail: cabinet }]");
        AssertAt(Error(yaml, RuleErrorCodes.UnknownReference), yaml, "ferme", "practices[0].routes.closed[0].announce");
    }

    [Test]
    public void Check_UnknownTrunk_IsAnError()
    {
        var yaml = With("    trunk: t1", "    trunk: t2");
        AssertAt(Error(yaml, RuleErrorCodes.UnknownReference), yaml, "t2", "practices[0].trunk");
    }

    [Test]
    public void Check_UnknownPhoneWithoutPin_IsAnError()
    {
        var yaml = With("without_pin: [dr-a]", "without_pin: [dr-b]");
        AssertAt(Error(yaml, RuleErrorCodes.UnknownReference), yaml, "dr-b", "practices[0].feature_codes.without_pin[0]");
    }

    [Test]
    public void Check_UnknownOwnerPhoneOfABox_NamesFileLineAndField()
    {
        var yaml = With("- { id: cabinet }", "- { id: cabinet, owner_phones: [accueil-1, acceuil-2] }");
        var error = Error(yaml, RuleErrorCodes.UnknownReference);
        AssertAt(error, yaml, "acceuil-2", "practices[0].voicemail_boxes[0].owner_phones[1]");
        Assert.That(error.Message, Is.EqualTo("unknown phone 'acceuil-2'."));
        Assert.That(error.Hint, Is.EqualTo("did you mean 'accueil-2'?"));
    }

    [Test]
    public void Check_KnownOwnerPhones_AreValid_AndCompiled()
    {
        var yaml = With("- { id: cabinet }", "- { id: cabinet, pin_env: P1_BOX_PIN, owner_phones: [accueil-1, dr-a] }");
        var result = CompileYaml(yaml);
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Rules!.Model.Practices[0].VoicemailBoxes[0].OwnerPhones.Select(p => p.Value), Is.EqualTo(new[] { "accueil-1", "dr-a" }));
    }

    [Test]
    public void Check_StepWithoutItsSection_IsAnError()
    {
        var yaml = With("    greeting: { text: \"Bonjour.\" }\n", "");
        var error = CompileYaml(yaml).Errors.First(e => e.Code == RuleErrorCodes.UnknownReference);
        AssertAt(error, yaml, "greeting, queue", "practices[0].routes.open[0]");
        Assert.That(error.Message, Does.Contain("greeting"));
    }

    [Test]
    public void Check_ForwardToActivatingPhoneOutsideAMode_IsAnError()
    {
        var yaml = With("lunch: [greeting, overflow]", "lunch: [{ forward: activating_phone }, overflow]");
        AssertAt(Error(yaml, RuleErrorCodes.InvalidValue), yaml, "activating_phone", "practices[0].routes.lunch[0].forward");
    }

    [Test]
    public void Check_ModeForUnknownLine_IsAnError()
    {
        var yaml = With("{ id: closed, steps:", "{ id: closed, lines: [dr-x], steps:");
        AssertAt(Error(yaml, RuleErrorCodes.UnknownReference), yaml, "dr-x", "practices[0].modes[0].lines[0]");
    }

    [Test]
    public void Check_DuplicatePhoneId_PointsAtTheFirst()
    {
        var yaml = With("{ id: accueil-2, extension: \"102\"", "{ id: accueil-1, extension: \"102\"");
        var error = Error(yaml, RuleErrorCodes.DuplicateId);
        Assert.That(error.Field, Is.EqualTo("practices[0].phones[1].id"));
        Assert.That(error.Message, Does.Contain($"p1.yaml:{Find(yaml, "accueil-1").Line}:"));
    }

    [Test]
    public void CheckShared_UnusedSecretariat_IsAWarning()
    {
        var yaml = With("secretariats:\n", "secretariats:\n  - { id: spare, number: \"05 67 00 00 01\" }\n");
        AssertAt(Warning(yaml, RuleErrorCodes.Unreachable), yaml, "spare", "secretariats[0].id");
    }
}
