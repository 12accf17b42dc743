using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;

namespace PbxRouter.IntegrationTests;

/// <summary>Trunks and phones of the rules exist in Asterisk once applied; a phone removed from the rules can no longer register.</summary>
[TestFixture]
public sealed class ProvisioningTests
{
    [Test]
    public async Task Phones_FromTheRules_RegisterWithTheirPasswordAndARemovedPhoneCannot()
    {
        await using var asterisk = new AsteriskInstance();
        await asterisk.StartAsync();
        PracticeCalls.SetPasswords();
        await using var engine = await EngineUnderTest.StartAsync(asterisk, provision: true);
        var rules = PracticeCalls.RulesText(asterisk);
        await engine.ApplyRulesAsync("tilleuls-test.yaml", rules);
        var password = Environment.GetEnvironmentVariable("PBXTEST_ACCUEIL2_PASSWORD")!;

        var generated = await File.ReadAllTextAsync(asterisk.GeneratedPjsipPath);
        Assert.That(generated, Does.Contain("[trunk.test-trunk](trunk-endpoint)").And.Contain("[tilleuls.accueil-2](phone-endpoint)"));
        Assert.That(generated, Does.Not.Contain("tilleuls.accueil-3"), "a phone without its password is left out");
        var port = FreePorts.Udp("127.0.0.6");
        Assert.That((await Sipp.TryRegisterPhoneAsync(asterisk, "tilleuls.accueil-2", "wrong", "127.0.0.6", port)).Succeeded, Is.False, "wrong password");
        Assert.That((await Sipp.TryRegisterPhoneAsync(asterisk, "tilleuls.accueil-2", password, "127.0.0.6", port)).Succeeded, Is.True, "in the rules");

        var without = rules.Replace("      - { id: accueil-2, password_env: PBXTEST_ACCUEIL2_PASSWORD }\n", "").Replace("[accueil-1, accueil-2]", "[accueil-1]");
        Assert.That(without, Is.Not.EqualTo(rules));
        await engine.ApplyRulesAsync("tilleuls-test.yaml", without);

        // ARI's endpoint list keeps endpoints it once saw; PJSIP's own list is the configuration in force.
        var endpoints = (await asterisk.CliAsync("pjsip show endpoints")).Output;
        Assert.That(endpoints, Does.Contain("tilleuls.accueil-1").And.Not.Contain("tilleuls.accueil-2"), endpoints);
        Assert.That((await Sipp.TryRegisterPhoneAsync(asterisk, "tilleuls.accueil-2", password, "127.0.0.6", port)).Succeeded, Is.False, "removed from the rules");
    }
}
