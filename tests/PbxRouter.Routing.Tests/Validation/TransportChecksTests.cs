using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Validation;

/// <summary>
/// A trunk's transport is what Asterisk uses, or the rules are refused: `transport: tls` without a certificate is an
/// error at its line (never a silent UDP trunk). A registration brings its calls to its contact user: a number.
/// </summary>
public class TransportChecksTests
{
    private static readonly SipTransports NoTls = new(TlsMissing: "no TLS certificate is configured (Sip:TlsCertificate, Sip:TlsPrivateKey)",
        TlsFix: "set Sip:TlsCertificate and Sip:TlsPrivateKey to readable PEM files (docs/network.md), or write transport: tcp or udp");

    private static string OnTransport(string transport) => With("    host: sip.example.net\n", $"    host: sip.example.net\n    transport: {transport}\n");

    [Test]
    public void Tls_WithoutCertificate_IsAnErrorAtTheTransportLineNamingTheSettings()
    {
        var yaml = OnTransport("tls");
        var result = RulesCompiler.Compile("p1.yaml", yaml, NoTls);

        var error = Single(result.Errors, RuleErrorCodes.UnavailableTransport);
        AssertAt(error, yaml, "tls\n", "trunks[0].transport");
        Assert.That(error.Message, Does.Contain("trunk 't1' uses transport tls").And.Contain("Sip:TlsCertificate"));
        Assert.That(error.Hint, Does.Contain("Sip:TlsPrivateKey"));
        Assert.That(result.Rules, Is.Null, "nothing is applied");
    }

    [Test]
    public void Tls_WithCertificate_IsAccepted()
    {
        var result = RulesCompiler.Compile("p1.yaml", OnTransport("tls"), new SipTransports());
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Rules!.Model.Trunks[0].Transport, Is.EqualTo("tls"));
    }

    [TestCase("tcp")]
    [TestCase("udp")]
    public void TcpAndUdp_WhenOffered_AreAccepted(string transport) =>
        Assert.That(RulesCompiler.Compile("p1.yaml", OnTransport(transport), NoTls).Errors, Is.Empty);

    [Test]
    public void Tcp_WhenTheSettingsTurnItOff_IsAnError()
    {
        var yaml = OnTransport("tcp");
        var error = Single(RulesCompiler.Compile("p1.yaml", yaml, new SipTransports(TcpMissing: "Sip:Tcp is false")).Errors, RuleErrorCodes.UnavailableTransport);
        AssertAt(error, yaml, "tcp\n", "trunks[0].transport");
    }

    [Test]
    public void Tls_RecompiledWithoutTransports_IsNotCheckedAgain()
    {
        // The engine recompiles rules `rules apply` accepted: its provisioning refuses the trunk instead, and says why.
        Assert.That(CompileYaml(OnTransport("tls")).Errors, Is.Empty);
    }

    [Test]
    public void Transport_Unknown_IsAnError()
    {
        var yaml = OnTransport("sctp");
        Assert.That(CompileYaml(yaml).Errors, Is.Not.Empty);
    }

    [Test]
    public void Registration_ContactUserAndTimers_AreRead()
    {
        var yaml = With("contact_user: \"+33145000000\" }", "contact_user: \"0145000000\", expiration: 1h, retry_interval: 30s }");
        var reg = CompileYaml(yaml).Rules!.Model.Trunks[0].Registration!;
        Assert.Multiple(() =>
        {
            Assert.That(reg.ContactUser, Is.EqualTo("0145000000"));
            Assert.That(reg.ExpirationSeconds, Is.EqualTo(3600));
            Assert.That(reg.RetrySeconds, Is.EqualTo(30));
        });
    }

    [Test]
    public void Registration_WithoutContactUser_UsesTheUsername()
    {
        var yaml = With("username: user, password_env: T1_PASSWORD, contact_user: \"+33145000000\"", "username: \"0033145000000\", password_env: T1_PASSWORD");
        var result = CompileYaml(yaml);
        Assert.That(result.Warnings, Is.Empty, "the username is the practice's number");
        Assert.That(result.Rules!.Model.Trunks[0].Registration!.ContactUser, Is.EqualTo("0033145000000"));
    }

    [Test]
    public void Registration_WhoseContactUserIsNoPracticesNumber_IsAWarningAtTheUsername()
    {
        var yaml = With(", contact_user: \"+33145000000\" }", " }");
        AssertAt(Warning(yaml, RuleErrorCodes.UnroutableRegistration), yaml, "user,", "trunks[0].registration.username");
    }

    [TestCase("contact_user: \"a;b\"")]
    [TestCase("expiration: 5s")]
    [TestCase("retry_interval: 2h")]
    public void Registration_BadValue_IsAnError(string value)
    {
        var yaml = With("contact_user: \"+33145000000\" }", $"contact_user: \"+33145000000\", {value} }}").Replace("\"+33145000000\", contact_user", "contact_user");
        Assert.That(CompileYaml(yaml).Errors, Is.Not.Empty, yaml);
    }
}
