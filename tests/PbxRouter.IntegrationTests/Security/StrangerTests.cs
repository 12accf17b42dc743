using PbxRouter.Calls.Provisioning;
using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Security;
using PbxRouter.Store;

namespace PbxRouter.IntegrationTests.Security;

/// <summary>
/// Only the trunk (by its address) and the practice's phones (by user name and password) get in: an INVITE from any
/// other address is refused whatever From user it claims, and never reaches a dialplan context.
/// </summary>
[TestFixture]
public sealed class StrangerTests : PracticeFixture
{
    private const string StrangerAddress = "127.0.0.9";

    /// <summary>Every endpoint name a stranger could claim: static ones, generated ones, benchmark-only ones, old-style names.</summary>
    private static readonly string[] ClaimedNames =
    [
        "trunk", PjsipConfig.TrunkEndpoint("test-trunk"), PjsipConfig.TrunkEndpoint("ovh"), "test-trunk", "ovh",
        PjsipConfig.PhoneEndpoint("tilleuls", "accueil-1"), PjsipConfig.PhoneEndpoint("tilleuls", "accueil-2"), "tilleuls-accueil-1",
        "bench-native", "bench-native-queue", "anonymous", "trunk-endpoint", "phone-endpoint",
    ];

    [Test]
    public async Task Invite_FromAnUnlistedAddress_ClaimingAnyEndpointName_IsRefusedAndReachesNoContext()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, PracticeCalls.Open);
        Environment.SetEnvironmentVariable("PBXTEST_OVH_PASSWORD", $"ovh-{Environment.ProcessId}");
        await practice.Engine.ApplyRulesAsync("tilleuls-test.yaml", WithRegistrationTrunk(PracticeCalls.RulesText(Asterisk)));
        var endpoints = (await Asterisk.CliAsync("pjsip show endpoints")).Output;
        Assert.That(endpoints, Does.Contain("trunk.ovh").And.Contain("trunk.test-trunk").And.Contain("tilleuls.accueil-1"), endpoints);

        foreach (var name in ClaimedNames)
        {
            var result = await Sipp.Stranger(Asterisk, name, StrangerAddress).WaitAsync();
            Assert.That(result.Succeeded, $"From user '{name}': {result}");
            Assert.That(result.Messages, Does.Not.Contain("SIP/2.0 200"), $"From user '{name}' was answered");
            Assert.That(result.Messages, Does.Match(@"SIP/2\.0 (401|403|404|407) "), $"From user '{name}': refused");
        }

        Assert.Multiple(() =>
        {
            Assert.That(practice.Engine.Journal.Active, Is.Empty, "no stranger's call reached the engine");
            Assert.That(practice.Engine.Journal.Finished, Is.Empty, "no stranger's call reached the engine");
        });
        var channels = (await Asterisk.CliAsync("core show channels count")).Output;
        Assert.That(channels, Does.Contain("0 active calls"), channels);
        var bench = (await Asterisk.CliAsync("dialplan show bench-native")).Output;
        Assert.That(bench, Does.Contain("There is no existence of 'bench-native' context"), "benchmark contexts exist only in benchmark instances: " + bench);
    }

    [Test]
    public async Task Invite_FromTheCarriersAddress_StillReachesTheEngine()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, PracticeCalls.Open);
        var result = await Sipp.Patient(Asterisk, "patient-refused.xml", PracticeCalls.PracticeNumber, "+33666666666").WaitAsync();

        Assert.That(result.Succeeded, result.ToString());
        var record = await practice.RecordOfAsync("+33666666666");
        Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Refused), "the blocked caller came in through the trunk and was handled by the engine");
    }

    [Test]
    public async Task Stranger_RefusedTwelveTimes_IsInTheSecurityLogEachTimeButWarnedAboutOnce()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, PracticeCalls.Open);
        const string scanner = "127.0.0.10";
        for (var i = 0; i < 12; i++)
        {
            var result = await Sipp.Stranger(Asterisk, "trunk", scanner).WaitAsync();
            Assert.That(result.Succeeded, result.ToString());
        }

        var tally = practice.Engine.Service<IntrusionTally>();
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (tally.Of(scanner) is not { Refused: >= 12 } && !limit.IsCancellationRequested) await Task.Delay(100);
        }
        var seen = tally.Of(scanner);
        var logged = (await File.ReadAllLinesAsync(Asterisk.SecurityLogPath))
            .Count(l => l.Contains("SecurityEvent=\"InvalidAccountID\"") && l.Contains($"/{scanner}/"));
        Assert.Multiple(() =>
        {
            Assert.That(logged, Is.GreaterThanOrEqualTo(12), "every refusal is in Asterisk's security log (fail2ban)");
            Assert.That(seen?.Refused, Is.GreaterThanOrEqualTo(12), "the engine counted them");
            Assert.That(seen?.Reports, Is.EqualTo(1), "one warning for the admin, the rest summed up later");
        });
    }

    /// <summary>The test rules plus a trunk that registers (to a registrar that does not exist: only its endpoint matters here).</summary>
    private string WithRegistrationTrunk(string rules) => rules.Replace("trunks:\n", $$"""
        trunks:
          - id: ovh
            host: "127.0.0.2:{{FreePorts.Udp("127.0.0.2")}}"
            registration: { username: "0033145000000", password_env: PBXTEST_OVH_PASSWORD }

        """.Replace("\r", ""));
}
