using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Ari;
using PbxRouter.Calls.Rules;
using PbxRouter.Hosting;
using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using static PbxRouter.IntegrationTests.Phones.ListeningPractice;

namespace PbxRouter.IntegrationTests.Phones;

/// <summary>
/// BLF lamps of the modes through the whole engine, real Asterisk and SIPp (Rules/voicemail-listen-test.yaml: *21 toggles mode
/// "closed"): a phone subscribed (Event: dialog) to extension mode-closed gets a NOTIFY when another phone dials *21, and the
/// lamp shows the stored mode again after an engine restart, even if Asterisk's device state was lost meanwhile.
/// </summary>
[TestFixture]
public sealed class ModeLampEngineTests : PracticeFixture
{
    [Test]
    public async Task APhoneSubscribedToTheModesLamp_IsNotifiedWhenAnotherPhoneDialsTheCode_AndTheLampIsRightAfterAnEngineRestart()
    {
        var practice = new ListeningPractice(Asterisk);
        var database = Path.Combine(Path.GetTempPath(), "pbxrouter-it", $"{Asterisk.Name}-lamps-{Guid.NewGuid():N}.db");
        var clock = new PinnedClock(DateTimeOffset.Parse("2026-11-24T10:00:00+01:00"));
        var engine = await EngineUnderTest.StartAsync(Asterisk, database, provision: true, time: clock);
        try
        {
            await engine.ApplyRulesAsync("voicemail-listen-test.yaml", practice.Rules());

            var lamp = Subscribe("accueil-1", "127.0.0.9");
            await Task.Delay(TimeSpan.FromSeconds(4)); // subscribed, first NOTIFY taken
            var code = await SippRun.Start("phone-dr-martin-21", "phone-feature-code.xml",
            [
                "-s", "*21", "-key", "phone", Endpoint("dr-martin"), "-au", Endpoint("dr-martin"), "-ap", Password(Endpoint("dr-martin")),
                "-i", "127.0.0.8", "-p", FreePorts.Udp("127.0.0.8").ToString(), $"127.0.0.1:{Asterisk.SipPort}",
            ], countsAsCall: true).WaitAsync();
            Assert.That(code.Succeeded, code.ToString());
            var notified = await lamp.WaitAsync();
            Assert.That(notified.Succeeded, notified.ToString());
            var notifies = notified.ReceivedAll("NOTIFY").ToList();
            Assert.Multiple(() =>
            {
                Assert.That(notifies, Has.Count.EqualTo(2), notified.Messages);
                Assert.That(notifies[0], Does.Contain("<state>terminated</state>"), "mode off: the lamp is off");
                Assert.That(notifies[1], Does.Contain("<state>confirmed</state>"), "*21 switched the mode on: the lamp is lit");
            });

            // Engine away; Asterisk loses the lamp (as after its own restart): the next engine lights it again from the stored mode.
            await engine.DisposeAsync();
            await using (var ari = new AriClient(new AriOptions
            {
                BaseUrl = Asterisk.AriUrl, User = AsteriskInstance.AriUser, Password = Asterisk.AriPassword, Application = "it-probe",
            }, NullLoggerFactory.Instance))
            {
                await ari.DeviceStates.UpdateAsync(ModeLamps.Device("tilleuls", "closed"), ModeLamps.NotInUse);
            }
            var after = Subscribe("accueil-1", "127.0.0.9");
            await Task.Delay(TimeSpan.FromSeconds(4));
            engine = await EngineUnderTest.StartAsync(Asterisk, database, provision: true, time: clock);
            var restarted = await after.WaitAsync();
            Assert.That(restarted.Succeeded, restarted.ToString());
            var again = restarted.ReceivedAll("NOTIFY").ToList();
            Assert.Multiple(() =>
            {
                Assert.That(again[0], Does.Contain("<state>terminated</state>"), "the lamp Asterisk was left with");
                Assert.That(again[1], Does.Contain("<state>confirmed</state>"), "set by the restarted engine from the stored mode");
            });
        }
        finally
        {
            await engine.DisposeAsync();
        }
    }

    private SippRun Subscribe(string phone, string address) =>
        SippRun.Start($"lamp-{phone}", "phone-subscribes-lamp.xml",
        [
            "-s", ModeLamps.Extension("closed"), "-key", "phone", Endpoint(phone), "-au", Endpoint(phone), "-ap", Password(Endpoint(phone)),
            "-i", address, "-p", FreePorts.Udp(address).ToString(), $"127.0.0.1:{Asterisk.SipPort}",
        ], countsAsCall: false);
}
