using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Ari;
using PbxRouter.Calls.Provisioning;
using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;

namespace PbxRouter.IntegrationTests;

/// <summary>
/// `pbxrouter watchdog` (a real child process) with real Asterisk and SIPp: it moves the callers a killed engine left in
/// Stasis once the engine has been away for the bound, and never moves anything while the engine lives.
/// </summary>
[TestFixture]
public sealed class WatchdogTests
{
    /// <summary>The bound of these tests: the shortest the settings accept with the default heartbeat (3 x 2 s + the poll, rounded up).</summary>
    private const int BoundSeconds = 7;

    private static readonly Dictionary<string, string> WatchdogSettings = new()
    {
        ["Watchdog:Bound"] = $"00:00:{BoundSeconds:00}",
        ["Watchdog:PollEvery"] = "00:00:00.5",
    };

    [Test]
    public async Task EngineKilledWhileAPatientWaitsInTheQueue_TheWatchdogMovesThePatientToTheFallbackRoute()
    {
        await using var asterisk = new AsteriskInstance(fallbackNumber: PracticeCalls.SecretariatNumber);
        await asterisk.StartAsync();
        await using var served = await ServedPractice.StartAsync(asterisk, PracticeCalls.Open, "watchdog");
        var engine = served.Engine;
        await using var watchdog = PbxRouterProcess.Start("watchdog", asterisk, WatchdogSettings);
        await watchdog.WaitForLineAsync("engine pbxrouter is alive", "the watchdog sees the engine's heartbeat");

        // Line "attente": the engine answers the patient, plays music and rings accueil-1; nobody picks up (the patient may
        // wait up to 60 s). The patient stays on the line until the secretariat, reached through the fallback, hangs up.
        var phone = await served.PhoneAsync("accueil-1", "phone-rings.xml");
        var secretariat = Sipp.Secretariat(asterisk, "secretariat-answers-hangs-up.xml");
        var patient = Sipp.Patient(asterisk, "patient-stays-until-bye.xml", "+33145000006", "+33640000601");
        await WaitForRingingLegAsync(asterisk);

        engine.Kill();

        var invite = await Sipp.InviteAtSecretariatAsync(patient, secretariat);
        phone.Kill();
        Assert.Multiple(() =>
        {
            Assert.That(invite, Does.Match(@"(?m)^X-PbxRouter-Fallback: engine-unavailable"), "came through the dialplan's fallback route");
            Assert.That(invite, Does.Match(@"(?m)^Diversion:.*\+33145000006"), "with the called line's number");
            Assert.That(invite, Does.Match(@"(?m)^From:.*\+33640000601"), "and the patient's");
        });
        var moved = await watchdog.WaitForLineAsync(
            @"Watchdog moved inbound \S+ from \S+ to fallback,\+33145000006,1 \(Continued\): engine away (?<away>[0-9.,]+) s \(bound (?<bound>[0-9]+) s\)",
            "the watchdog logs the move");
        var away = double.Parse(moved.Groups["away"].Value.Replace(',', '.'), CultureInfo.InvariantCulture);
        Assert.That(moved.Groups["bound"].Value, Is.EqualTo(BoundSeconds.ToString(CultureInfo.InvariantCulture)));
        Assert.That(away, Is.GreaterThanOrEqualTo(BoundSeconds), "moved only once the engine had been away for the whole bound");
    }

    [Test]
    public async Task EngineAlive_TheWatchdogMovesNothing_WhileACallRingsTheSecretariatLongerThanTheBound()
    {
        await using var asterisk = new AsteriskInstance(fallbackNumber: PracticeCalls.SecretariatNumber);
        await asterisk.StartAsync();
        await using var practice = await PracticeCalls.StartAsync(asterisk, PracticeCalls.Lunch);
        await using var watchdog = PbxRouterProcess.Start("watchdog", asterisk, WatchdogSettings);
        await watchdog.WaitForLineAsync("engine pbxrouter is alive", "the watchdog sees the engine's heartbeat");

        // Lunch: greeting, then overflow to the secretariat, which rings 10 s (more than the bound) before it answers.
        var secretariat = Sipp.Secretariat(asterisk, "secretariat-answers-late.xml");
        var patient = Sipp.Patient(asterisk, "patient-hangs-up.xml", PracticeCalls.PracticeNumber, "+33640000602", holdMs: 1500);

        var invite = await Sipp.InviteAtSecretariatAsync(patient, secretariat);
        var record = await practice.RecordOfAsync("+33640000602");
        Assert.Multiple(() =>
        {
            Assert.That(invite, Does.Not.Contain("X-PbxRouter-Fallback"), "the engine's overflow, not the fallback route");
            Assert.That(invite, Does.Match(@"(?m)^X-Practice: tilleuls"));
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Overflowed), PracticeCalls.Describe(record));
            Assert.That(watchdog.Output, Does.Not.Contain("Watchdog moved").And.Not.Contain("Watchdog hung up").And.Not.Contain("away for"));
        });
    }

    /// <summary>Waits until one of the engine's outgoing legs rings a phone: the patient is in the queue.</summary>
    private static async Task WaitForRingingLegAsync(AsteriskInstance asterisk)
    {
        await using var ari = new AriClient(new AriOptions
        {
            BaseUrl = asterisk.AriUrl, User = AsteriskInstance.AriUser, Password = asterisk.AriPassword, Application = "it-probe",
        }, NullLoggerFactory.Instance);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!(await ari.Channels.ListAsync()).Any(c => c.State == "Ringing" && c.Dialplan?.AppData == "pbxrouter,leg"))
        {
            if (limit.IsCancellationRequested) Assert.Fail("no phone rang for the patient");
            await Task.Delay(100);
        }
    }
}
