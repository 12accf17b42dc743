using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Validation;

public class FeatureCodeChecksTests
{
    [Test]
    public void Check_SameCodeTwice_IsACollision()
    {
        var yaml = With("{ code: \"*97\", voicemail: cabinet }", "{ code: \"*28\", voicemail: cabinet }");
        var error = Error(yaml, RuleErrorCodes.FeatureCodeCollision);
        Assert.That(error.Field, Is.EqualTo("practices[0].feature_codes.codes[1].code"));
        Assert.That(error.Line, Is.EqualTo(Find(yaml, "{ code: \"*28\", voicemail").Line));
        Assert.That(error.Message, Does.Contain("feature code '*28' (at p1.yaml:"));
    }

    [Test]
    public void Check_CodePrefixOfAnother_IsAnError()
    {
        var yaml = With("{ code: \"*97\", voicemail: cabinet }", "{ code: \"*2\", voicemail: cabinet }");
        var error = Error(yaml, RuleErrorCodes.FeatureCodePrefix);
        AssertAt(error, yaml, "\"*2\"", "practices[0].feature_codes.codes[1].code");
        Assert.That(error.Message, Does.Contain("'*28'"));
    }

    [Test]
    public void Check_CodePrefixOfAnExtension_IsAnError()
    {
        var yaml = With("{ code: \"*97\", voicemail: cabinet }", "{ code: \"10\", voicemail: cabinet }");
        var errors = CompileYaml(yaml).Errors.Where(e => e.Code == RuleErrorCodes.FeatureCodePrefix).ToList();
        Assert.That(errors.Select(e => e.Message), Has.Some.Contains("extension 101"));
        Assert.That(errors.Select(e => e.Field), Has.All.EqualTo("practices[0].feature_codes.codes[1].code"));
    }

    [Test]
    public void Check_ExtensionThatIsAnEmergencyNumber_IsAnError()
    {
        var yaml = With("extension: \"201\"", "extension: \"15\"");
        var error = Error(yaml, RuleErrorCodes.FeatureCodeCollision);
        AssertAt(error, yaml, "\"15\"", "practices[0].phones[2].extension");
        Assert.That(error.Message, Does.Contain("emergency number 15"));
    }

    [Test]
    public void Check_ExtensionPrefixOfEmergency112_IsAnError()
    {
        var yaml = With("extension: \"201\"", "extension: \"11\"");
        var error = Error(yaml, RuleErrorCodes.FeatureCodePrefix);
        AssertAt(error, yaml, "\"11\"", "practices[0].phones[2].extension");
        Assert.That(error.Message, Does.Contain("emergency number 112").And.Contain("emergency number 116117"));
    }

    [Test]
    public void Check_Hash31_IsAWarning()
    {
        var yaml = With("{ code: \"*97\", voicemail: cabinet }", "{ code: \"#31#\", voicemail: cabinet }");
        AssertAt(Warning(yaml, RuleErrorCodes.Suspicious), yaml, "\"#31#\"", "practices[0].feature_codes.codes[1].code");
    }

    [Test]
    public void Check_NoPinAndUntrustedPhones_IsAWarning()
    {
        var yaml = With("      pin_env: P1_PIN\n", "");
        var warning = Warning(yaml, RuleErrorCodes.Unreachable);
        Assert.That(warning.Field, Is.EqualTo("practices[0].feature_codes"));
        Assert.That(warning.Message, Does.Contain("accueil-1"));
    }
}
