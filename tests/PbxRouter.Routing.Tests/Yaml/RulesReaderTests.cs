using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Yaml;

/// <summary>YAML syntax problems and the shared trunk/secretariat sections.</summary>
public class RulesReaderTests
{
    [Test]
    public void Read_BadIndentation_ReportsSyntaxErrorWithLine()
    {
        var yaml = With("    name: Practice one", "   name: Practice one");
        var error = Error(yaml, RuleErrorCodes.YamlSyntax);
        Assert.That(error.Line, Is.EqualTo(Find(yaml, "   name: Practice one").Line).Or.EqualTo(Find(yaml, "   name: Practice one").Line + 1));
        Assert.That(error.Hint, Is.Not.Null);
    }

    [Test]
    public void Read_UnquotedStarFeatureCode_ExplainsTheAlias()
    {
        var yaml = With("{ code: \"*28\", toggle: closed }", "{ code: *28, toggle: closed }");
        var error = Error(yaml, RuleErrorCodes.YamlSyntax);
        Assert.That(error.Line, Is.EqualTo(Find(yaml, "code: *28").Line));
        Assert.That(error.Hint, Does.Contain("quote"));
    }

    [Test]
    public void Read_UnquotedHashFeatureCode_ExplainsTheComment()
    {
        var yaml = With("        - { code: \"*97\", voicemail: cabinet }", "        - code: #21\n          cancel: true");
        var error = Error(yaml, RuleErrorCodes.MissingField);
        Assert.That(error.Field, Is.EqualTo("practices[0].feature_codes.codes[1].code"));
        Assert.That(error.Line, Is.EqualTo(Find(yaml, "code: #21").Line));
        Assert.That(error.Hint, Does.Contain("comment").And.Contain("\"#21\""));
    }

    [Test]
    public void Read_TwoDocuments_IsAnError()
    {
        var yaml = ValidRules.Yaml + "\n---\npractices: []\n";
        var error = Error(yaml, RuleErrorCodes.YamlSyntax);
        Assert.That(error.Line, Is.EqualTo(Find(yaml, "---").Line + 1));
    }

    [TestCase(": [\ns", 2)]
    [TestCase("practices:\n  - id: p\n    numbers: [\"01 45 00 00 00\"\nhours: x\n", 4)]
    public void Read_UnclosedFlowListBeforeAPlainValue_IsASyntaxErrorNotACrash(string yaml, int line)
    {
        var error = Error(yaml, RuleErrorCodes.YamlSyntax);
        Assert.That(error.Line, Is.EqualTo(line));
        Assert.That(error.Hint, Does.Contain("closed"));
    }

    [Test]
    public void Read_EscapedLoneSurrogate_IsASyntaxErrorNotACrash()
    {
        var yaml = With("    name: Practice one", "    name: \"Practice \\uD800\\u0041\"");
        Assert.That(Error(yaml, RuleErrorCodes.YamlSyntax).Line, Is.EqualTo(Find(yaml, "Practice \\uD800").Line));
    }

    [Test]
    public void Read_EmptyFile_IsAWarning()
    {
        var result = RulesCompiler.Compile("empty.yaml", "# nothing yet\n");
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Warnings.Single().File, Is.EqualTo("empty.yaml"));
    }

    [Test]
    public void Read_UnsupportedVersion_IsAnError()
    {
        var yaml = "version: 2\n" + ValidRules.Yaml;
        AssertAt(Error(yaml, RuleErrorCodes.InvalidValue), yaml, "2", "version");
    }

    [Test]
    public void Read_TrunkWithoutRegistrationOrAddresses_IsAnError()
    {
        var yaml = With("    registration: { username: user, password_env: T1_PASSWORD, contact_user: \"+33145000000\" }\n", "");
        AssertAt(Error(yaml, RuleErrorCodes.MissingField), yaml, "id: t1", "trunks[0]");
    }

    [Test]
    public void Read_TrunkWithBadAddress_IsAnError()
    {
        var yaml = With("    registration: { username: user, password_env: T1_PASSWORD, contact_user: \"+33145000000\" }", "    ip_addresses: [\"192.0.2.300\"]");
        AssertAt(Error(yaml, RuleErrorCodes.InvalidValue), yaml, "\"192.0.2.300\"", "trunks[0].ip_addresses[0]");
    }

    [Test]
    public void Read_SecretariatWithBadUri_IsAnError()
    {
        var yaml = With("    number: \"05 67 00 00 00\"", "    uri: http://secretariat.example.fr");
        AssertAt(Error(yaml, RuleErrorCodes.InvalidValue), yaml, "http://", "secretariats[0].uri");
    }

    [Test]
    public void Read_HeaderSetByThePbx_IsAnError()
    {
        var yaml = With("    to: [sec]", "    to: [sec]\n      headers: { Diversion: x }");
        var error = Error(yaml, RuleErrorCodes.InvalidValue);
        AssertAt(error, yaml, "x }", "practices[0].overflow.headers.Diversion");
        Assert.That(error.Hint, Does.Contain("diversion: true"));
    }
}
