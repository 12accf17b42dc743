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
            Assert.That(text, Does.Contain("[tilleuls-ovh](trunk-endpoint)\naors = tilleuls-ovh\noutbound_auth = tilleuls-ovh\n"));
            Assert.That(text, Does.Contain("type = registration").And.Contain("client_uri = sip:0033145000000@sip.ovh.net"));
            Assert.That(text, Does.Contain("password = secret-tilleuls_trunk_password"));
            foreach (var phone in new[] { "accueil-1", "accueil-2", "dr-martin", "dr-durand" })
                Assert.That(text, Does.Contain($"[tilleuls-{phone}](phone-endpoint)").And.Contain($"set_var = PBX_PHONE={phone}"));
            Assert.That(text, Does.Contain("username = tilleuls-accueil-1\npassword = secret-tilleuls_accueil1_password"));
        });
    }

    [Test]
    public void Generate_WhenAPhonePasswordIsMissing_LeavesThePhoneOutAndSaysWhich()
    {
        var (text, problems) = PjsipConfig.Generate(Tilleuls, name => name == "TILLEULS_ACCUEIL2_PASSWORD" ? null : "pw");

        Assert.That(text, Does.Contain("tilleuls-accueil-1").And.Not.Contain("tilleuls-accueil-2"));
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

    private static RulesModel Compile()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "PbxRouter.sln"))) dir = dir.Parent;
        var result = RulesCompiler.Compile(RulesSource.Load(Path.Combine(dir.FullName, "samples", "rules", "tilleuls.yaml")));
        return result.Rules!.Model;
    }
}
