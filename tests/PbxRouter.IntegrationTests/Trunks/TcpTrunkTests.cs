using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Flows.PracticeCalls;

namespace PbxRouter.IntegrationTests.Trunks;

/// <summary>`transport: tcp` is really TCP: the carrier's call comes in over TCP and the overflow goes out over TCP.</summary>
[TestFixture]
public sealed class TcpTrunkTests : PracticeFixture
{
    [Test]
    public async Task TcpTrunk_CallInAndOverflowOut_BothOverTcp()
    {
        var carrierPort = FreePorts.Tcp();
        var rules = RulesText(Asterisk).Replace($"    host: \"127.0.0.2:{Asterisk.TrunkPort}\"\n",
            $"    host: \"127.0.0.2:{carrierPort}\"\n    transport: tcp\n");
        Assert.That(rules, Does.Contain("transport: tcp"));
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Lunch, rules: rules);
        var generated = await File.ReadAllTextAsync(Asterisk.GeneratedPjsipPath);
        Assert.That(generated, Does.Contain("transport = transport-tcp").And.Contain($"contact = sip:127.0.0.2:{carrierPort};transport=tcp"));

        var secretariat = SippRun.Start("secretariat", "secretariat-answers.xml", ["-t", "t1", "-i", AsteriskInstance.TrunkPeer, "-p", carrierPort.ToString()], countsAsCall: false);
        var patient = SippRun.Start("patient", "patient-hangs-up.xml",
        [
            "-t", "t1", "-s", PracticeNumber, "-key", "caller", "+33640000073", "-d", "2500",
            "-i", AsteriskInstance.TrunkPeer, $"127.0.0.1:{Asterisk.SipTcpPort}",
        ], countsAsCall: true);

        var invite = await Sipp.InviteAtSecretariatAsync(patient, secretariat);

        Assert.That(invite, Does.Match(@"(?m)^Via: SIP/2\.0/TCP "), invite);
        var record = await practice.RecordOfAsync("+33640000073");
        Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Overflowed), Describe(record));
    }
}
