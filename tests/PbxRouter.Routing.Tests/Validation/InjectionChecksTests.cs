using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Validation;

/// <summary>
/// Values that end up in Asterisk's generated configuration, SIP headers or logs cannot start a new line, option or
/// section: each is refused at validation with its file, line and field, and nothing is applied.
/// </summary>
public class InjectionChecksTests
{
    [TestCase("sip.example.net;transport=tcp")]
    [TestCase("sip.example.net\\n[evil](trunk-endpoint)")]
    [TestCase("[sip.example.net]")]
    [TestCase("sip example.net")]
    [TestCase("sip.example.net:99999")]
    public void Trunk_HostThatCouldInjectConfiguration_IsRefusedAtItsLine(string host)
    {
        var yaml = With("host: sip.example.net", $"host: \"{host}\"");
        var error = Error(yaml, RuleErrorCodes.InvalidValue);
        Assert.That(error.Field, Is.EqualTo("trunks[0].host"));
        Assert.That(error.Line, Is.EqualTo(Find(yaml, "host: \"").Line));
    }

    [TestCase("sip.example.net")]
    [TestCase("194.2.0.20:5060")]
    [TestCase("[2001:db8::1]:5060")]
    public void Trunk_PlainHost_IsAccepted(string host)
    {
        var result = CompileYaml(With("host: sip.example.net", $"host: \"{host}\""));
        Assert.That(result.Errors, Is.Empty);
    }

    [TestCase("user;x=y")]
    [TestCase("user@evil")]
    [TestCase("user\\r\\npassword = stolen")]
    public void Trunk_UsernameThatIsNotASipUser_IsRefused(string username)
    {
        var yaml = With("username: user,", $"username: \"{username}\",");
        var error = Error(yaml, RuleErrorCodes.InvalidValue);
        Assert.That(error.Field, Does.StartWith("trunks[0].registration.username"));
    }

    [TestCase("tilleuls;x=1")]
    [TestCase("a[b]")]
    [TestCase("tilleuls\\r\\nX-Evil: 1")]
    public void Secretariat_HeaderValueThatCouldInjectAHeader_IsRefused(string value)
    {
        var yaml = With("    number: \"05 67 00 00 00\"\n", $"    number: \"05 67 00 00 00\"\n    headers: {{ X-Practice: \"{value}\" }}\n");
        var error = Error(yaml, RuleErrorCodes.InvalidValue);
        Assert.That(error.Message, Does.Contain("header value"));
    }

    [TestCase("sip:a,b@secretariat.example.net")]
    [TestCase("sip:a@secretariat.example.net&PJSIP/+33600000000@trunk")]
    [TestCase("sip:${SHELL(id)}@secretariat.example.net")]
    [TestCase("sip:a@secretariat.example.net)")]
    [TestCase("sip:a@[2001:db8::1]")]
    [TestCase("sip:a b@secretariat.example.net")]
    [TestCase("tel:+33567000000")]
    public void Secretariat_UriThatTheDialplanCouldNotDialSafely_IsRefusedAtItsLine(string uri)
    {
        var yaml = With("    number: \"05 67 00 00 00\"\n", $"    uri: \"{uri}\"\n");
        var error = Error(yaml, RuleErrorCodes.InvalidValue);
        Assert.That(error.Field, Is.EqualTo("secretariats[0].uri"));
        Assert.That(error.Line, Is.EqualTo(Find(yaml, "uri: \"").Line));
    }

    [TestCase("sip:tilleuls@sip.servitel.fr")]
    [TestCase("sips:cabinet@secretariat.example.net:5061;transport=tls")]
    public void Secretariat_PlainSipUri_IsAccepted(string uri) =>
        Assert.That(CompileYaml(With("    number: \"05 67 00 00 00\"\n", $"    uri: \"{uri}\"\n")).Errors, Is.Empty);

    [Test]
    public void Name_WithALineBreak_IsRefused()
    {
        var yaml = With("name: Practice one", "name: \"Practice one\\n[trunk](trunk-endpoint)\"");
        var error = Error(yaml, RuleErrorCodes.InvalidValue);
        Assert.That(error.Field, Is.EqualTo("practices[0].name"));
        Assert.That(error.Message, Does.Contain("one line"));
    }

    [Test]
    public void Practice_CalledTrunk_IsRefusedSinceGeneratedTrunksUseThatPrefix()
    {
        var yaml = With("- id: p1", "- id: trunk");
        var error = Error(yaml, RuleErrorCodes.InvalidValue);
        Assert.That(error.Field, Is.EqualTo("practices[0].id"));
        Assert.That(error.Message, Does.Contain("reserved"));
    }
}
