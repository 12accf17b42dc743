using PbxRouter.Calls.Provisioning;
using PbxRouter.Routing;
using PbxRouter.Routing.Model;

namespace PbxRouter.Calls.Tests.Provisioning;

[TestFixture]
public sealed class PjsipConfigTests
{
    private static readonly RulesModel Tilleuls = Compile();

    [Test]
    public void Generate_WithEveryPassword_WritesTheTrunkRegistrationAndOnePhoneEndpointPerPhone()
    {
        var (text, problems) = PjsipConfig.Generate(Tilleuls, name => $"secret-{name.ToLowerInvariant()}");

        Assert.Multiple(() =>
        {
            Assert.That(problems, Is.Empty);
            Assert.That(text, Does.Contain("[trunk.tilleuls-ovh](trunk-endpoint)\naors = trunk.tilleuls-ovh\ntransport = transport-udp\noutbound_auth = trunk.tilleuls-ovh\n"));
            Assert.That(text, Does.Contain("type = registration").And.Contain("client_uri = sip:0033145000000@sip.ovh.net"));
            Assert.That(text, Does.Contain("password = secret-tilleuls_trunk_password"));
            foreach (var phone in new[] { "accueil-1", "accueil-2", "dr-martin", "dr-durand" })
                Assert.That(text, Does.Contain($"[tilleuls.{phone}](phone-endpoint)").And.Contain($"set_var = PBX_PHONE={phone}"));
            Assert.That(text, Does.Contain("username = tilleuls.accueil-1\npassword = secret-tilleuls_accueil1_password"));
        });
    }

    [Test]
    public void Generate_WhenAPhonePasswordIsMissing_LeavesThePhoneOutAndSaysWhich()
    {
        var (text, problems) = PjsipConfig.Generate(Tilleuls, name => name == "TILLEULS_ACCUEIL2_PASSWORD" ? null : "pw");

        Assert.That(text, Does.Contain("tilleuls.accueil-1").And.Not.Contain("tilleuls.accueil-2"));
        Assert.That(problems, Has.Exactly(1).Contains("TILLEULS_ACCUEIL2_PASSWORD"));
    }

    [Test]
    public void Generate_WhenAPasswordHoldsASemicolon_LeavesItOutRatherThanWriteAComment()
    {
        var (text, problems) = PjsipConfig.Generate(Tilleuls, name => name == "TILLEULS_MARTIN_PASSWORD" ? "abc;def" : "pw");

        Assert.That(text, Does.Not.Contain("abc"));
        Assert.That(problems, Has.Exactly(1).Contains("TILLEULS_MARTIN_PASSWORD").And.Contains("';'"));
    }

    [Test]
    public void Generate_WithAQualifyOverride_SetsItOnEveryPhoneAor()
    {
        var (text, _) = PjsipConfig.Generate(Tilleuls, _ => "pw", phoneQualifySeconds: 0);

        Assert.That(text.Split("(phone-aor)\nqualify_frequency = 0").Length - 1, Is.EqualTo(4));
    }

    [Test]
    public void PhoneEndpoint_PracticeAndPhoneIdsWithDashes_NeverCollide()
    {
        Assert.That(PjsipConfig.PhoneEndpoint("a-b", "c"), Is.Not.EqualTo(PjsipConfig.PhoneEndpoint("a", "b-c")));
    }

    [TestCase("trunk")]
    [TestCase("endpoint")]
    [TestCase("global")]
    public void TrunkEndpoint_NamedLikeAStaticObject_GetsItsOwnName(string id)
    {
        // Static objects of asterisk-config/pjsip.conf (trunk, trunk-endpoint, global...) never hold a dot.
        Assert.That(PjsipConfig.TrunkEndpoint(id), Is.EqualTo($"trunk.{id}"));
    }

    [Test]
    public void Generate_IpTrunk_IsIdentifiedByItsAddressesOnlyAndRefusesOthers()
    {
        var model = CompileText("""
            trunks:
              - { id: carrier, host: "194.2.0.20:5060", ip_addresses: ["194.2.0.20", "194.2.0.0/24"] }
            practices: []
            """);
        var (text, _) = PjsipConfig.Generate(model, _ => "pw");

        Assert.That(text, Does.Contain("[trunk.carrier](trunk-endpoint)\naors = trunk.carrier\ntransport = transport-udp\ndeny = 0.0.0.0/0.0.0.0\ndeny = ::/0\npermit = 194.2.0.20\npermit = 194.2.0.0/24\n"));
        Assert.That(text, Does.Contain("type = identify\nendpoint = trunk.carrier\nmatch = 194.2.0.20,194.2.0.0/24"));
        Assert.That(text, Does.Not.Contain("type = auth"), "an IP trunk has no credentials, so it can never be found by a user name");
    }

    [Test]
    public void Generate_RegistrationTrunk_MatchesIncomingCallsByItsLineNotByName()
    {
        var (text, _) = PjsipConfig.Generate(Tilleuls, _ => "pw");

        Assert.That(text, Does.Contain("line = yes\nendpoint = trunk.tilleuls-ovh"));
        Assert.That(text, Does.Not.Contain("type = identify\nendpoint = trunk.tilleuls-ovh"));
    }

    [Test]
    public void Generate_PasswordWithAControlCharacter_IsLeftOut()
    {
        var (text, problems) = PjsipConfig.Generate(Tilleuls, name => name == "TILLEULS_MARTIN_PASSWORD" ? "abc\u001b[2Jdef" : "pw");

        Assert.That(text, Does.Not.Contain("abc"));
        Assert.That(problems, Has.Exactly(1).Contains("TILLEULS_MARTIN_PASSWORD"));
    }

    private const string TransportTrunks = """
        trunks:
          - { id: by-udp, host: "194.2.0.20", ip_addresses: ["194.2.0.20"] }
          - { id: by-tcp, host: "194.2.0.21:5060", transport: tcp, ip_addresses: ["194.2.0.21"] }
          - id: by-tls
            host: sip.example.net
            transport: tls
            registration: { username: "0033145000000", password_env: TLS_PW }
        practices: []
        """;

    [Test]
    public void Generate_TcpTrunk_UsesTheTcpTransportInEveryUri()
    {
        var (text, problems) = PjsipConfig.Generate(CompileText(TransportTrunks), _ => "pw", transports: new SipTransports());

        Assert.That(problems, Is.Empty);
        Assert.That(text, Does.Contain("[trunk.by-tcp](trunk-endpoint)\naors = trunk.by-tcp\ntransport = transport-tcp\n"));
        Assert.That(text, Does.Contain("[trunk.by-tcp](trunk-aor)\ncontact = sip:194.2.0.21:5060;transport=tcp\n"));
        Assert.That(text, Does.Contain("[trunk.by-udp](trunk-endpoint)\naors = trunk.by-udp\ntransport = transport-udp\n"));
        Assert.That(text, Does.Contain("contact = sip:194.2.0.20\n"), "UDP is the default of a SIP URI");
        Assert.That(text, Does.Contain("type = registration\ntransport = transport-tls\n").And.Contain("server_uri = sip:sip.example.net;transport=tls\n"));
    }

    [Test]
    public void Generate_TlsTrunkWithoutTlsTransport_IsLeftOutAndNeverDowngraded()
    {
        var transports = new SipTransports(TlsMissing: "no TLS certificate is configured");
        var (text, problems) = PjsipConfig.Generate(CompileText(TransportTrunks), _ => "pw", transports: transports);

        Assert.That(text, Does.Not.Contain("trunk.by-tls"));
        Assert.That(text, Does.Contain("[trunk.by-tcp](trunk-endpoint)"));
        Assert.That(problems, Has.Exactly(1).Contains("trunk by-tls: transport tls is not available (no TLS certificate is configured)"));
    }

    [Test]
    public void Generate_Registration_RegistersItsContactUserWithTimersThatNeverGiveUp()
    {
        var model = CompileText("""
            trunks:
              - id: ovh
                host: sip.ovh.net
                registration: { username: "tilleuls75", password_env: OVH_PW, contact_user: "+33145000000", expiration: 15m, retry_interval: 30s }
            practices: []
            """);
        var (text, _) = PjsipConfig.Generate(model, _ => "pw");

        Assert.That(text, Does.Contain("""
            [trunk.ovh]
            type = registration
            transport = transport-udp
            outbound_auth = trunk.ovh
            server_uri = sip:sip.ovh.net
            client_uri = sip:tilleuls75@sip.ovh.net
            contact_user = +33145000000
            expiration = 900
            retry_interval = 30
            forbidden_retry_interval = 30
            fatal_retry_interval = 30
            auth_rejection_permanent = no
            max_retries = 1000000
            line = yes
            endpoint = trunk.ovh

            """.Replace("\r", "")));
        Assert.That(text, Does.Contain("[trunk.ovh](trunk-endpoint)\naors = trunk.ovh\ntransport = transport-udp\noutbound_auth = trunk.ovh\n"),
            "outgoing calls answer the carrier's 401/407 with the same credentials");
    }

    private static RulesModel CompileText(string yaml)
    {
        var result = RulesCompiler.Compile("test.yaml", yaml);
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        return result.Rules!.Model;
    }

    private static RulesModel Compile()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "PbxRouter.sln"))) dir = dir.Parent;
        var result = RulesCompiler.Compile(RulesSource.Load(Path.Combine(dir.FullName, "samples", "rules", "tilleuls.yaml")));
        return result.Rules!.Model;
    }
}
