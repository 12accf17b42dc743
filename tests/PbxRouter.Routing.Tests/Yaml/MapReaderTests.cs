using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Yaml;

/// <summary>Unknown fields, wrong types, missing fields and secrets, each pointing at the exact place.</summary>
public class MapReaderTests
{
    [Test]
    public void Open_UnknownField_SuggestsTheClosestOne()
    {
        var yaml = With("      strategy: ringall", "      strategie: ringall");
        var error = Error(yaml, RuleErrorCodes.UnknownField);
        AssertAt(error, yaml, "strategie", "practices[0].queue.strategie");
        Assert.That(error.Hint, Is.EqualTo("did you mean 'strategy'?"));
    }

    [Test]
    public void Open_UnknownTopLevelField_IsAnError()
    {
        var yaml = "practises: []\n" + ValidRules.Yaml;
        var error = Error(yaml, RuleErrorCodes.UnknownField);
        AssertAt(error, yaml, "practises", "practises");
        Assert.That(error.Hint, Does.Contain("practices"));
    }

    [Test]
    public void Open_PasswordInClear_IsRefused()
    {
        var yaml = With("password_env: T1_PASSWORD", "password: hunter2");
        var error = Error(yaml, RuleErrorCodes.SecretInYaml);
        AssertAt(error, yaml, "password: hunter2", "trunks[0].registration.password");
        Assert.That(error.Hint, Does.Contain("password_env"));
        Assert.That(error.ToString(), Does.Not.Contain("hunter2"));
    }

    [Test]
    public void Int_NotANumber_IsAWrongType()
    {
        var yaml = With("      ring_time: 20s", "      ring_time: 20s\n      max_callers: three");
        AssertAt(Error(yaml, RuleErrorCodes.WrongType), yaml, "three", "practices[0].queue.max_callers");
    }

    [Test]
    public void Bool_Yes_IsAWrongType()
    {
        var yaml = With("    name: Secretariat", "    name: Secretariat\n    diversion: yes");
        var error = Error(yaml, RuleErrorCodes.WrongType);
        AssertAt(error, yaml, "yes", "secretariats[0].diversion");
        Assert.That(error.Hint, Does.Contain("true or false"));
    }

    [Test]
    public void Duration_WithoutUnit_IsAccepted_ButGibberishIsNot()
    {
        Assert.That(CompileYaml(With("ring_time: 20s", "ring_time: 20")).Errors, Is.Empty);
        var yaml = With("ring_time: 20s", "ring_time: twenty");
        AssertAt(Error(yaml, RuleErrorCodes.WrongType), yaml, "twenty", "practices[0].queue.ring_time");
    }

    [Test]
    public void Scalar_GivenAList_IsAWrongType()
    {
        var yaml = With("    name: Practice one", "    name: [Practice, one]");
        AssertAt(Error(yaml, RuleErrorCodes.WrongType), yaml, "[Practice", "practices[0].name");
    }

    [Test]
    public void List_GivenAMapping_IsAWrongType()
    {
        var yaml = With("      members: [accueil-1, accueil-2]", "      members: { a: accueil-1 }");
        AssertAt(Error(yaml, RuleErrorCodes.WrongType), yaml, "{ a: accueil-1 }", "practices[0].queue.members");
    }

    [Test]
    public void Missing_RequiredField_PointsAtTheParent()
    {
        var yaml = With("    numbers: [\"01 45 00 00 00\"]\n", "");
        var error = Error(yaml, RuleErrorCodes.MissingField);
        AssertAt(error, yaml, "id: p1", "practices[0].numbers");
        Assert.That(error.Message, Does.Contain("numbers"));
    }

    [Test]
    public void Missing_PhonePassword_IsAnError()
    {
        var yaml = With("{ id: accueil-2, extension: \"102\", password_env: P1_ACCUEIL2 }", "{ id: accueil-2, extension: \"102\" }");
        AssertAt(Error(yaml, RuleErrorCodes.MissingField), yaml, "{ id: accueil-2", "practices[0].phones[1].password_env");
    }

    [Test]
    public void EnvName_Lowercase_IsAnError()
    {
        var yaml = With("pin_env: P1_PIN", "pin_env: my pin");
        var error = Error(yaml, RuleErrorCodes.InvalidValue);
        AssertAt(error, yaml, "my pin", "practices[0].feature_codes.pin_env");
    }

    [Test]
    public void Id_WithCapitals_IsAnError()
    {
        var yaml = With("  - id: p1", "  - id: P1");
        AssertAt(Error(yaml, RuleErrorCodes.InvalidValue), yaml, "P1", "practices[0].id");
    }

    [Test]
    public void Choice_UnknownStrategy_SuggestsTheClosest()
    {
        var yaml = With("strategy: ringall", "strategy: round-robin");
        var error = Error(yaml, RuleErrorCodes.InvalidValue);
        AssertAt(error, yaml, "round-robin", "practices[0].queue.strategy");
        Assert.That(error.Hint, Does.Contain("round_robin"));
    }
}
