using PbxRouter.Calls.Fallback;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Fallback.TwoPractices;

namespace PbxRouter.IntegrationTests.Fallback;

/// <summary>
/// A message left on a practice's fallback route while the engine was down lands in that practice's box of the engine's
/// voicemail store (audio and SQLite row) when the engine starts, and its box is notified, once.
/// </summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FallbackVoicemailTests
{
    [Test]
    public async Task EngineDown_AMessageLeftAfterTheBusySecretariat_IsImportedIntoThePracticesBoxAndNotifiedOnce()
    {
        await using var asterisk = new AsteriskInstance();
        await asterisk.StartAsync();
        var practices = new TwoPractices(asterisk);
        var database = NewDatabasePath(asterisk);
        var drops = Path.Combine(Path.GetTempPath(), "pbxrouter-it", $"drops-{Guid.NewGuid():N}");
        var settings = new Dictionary<string, string?> { ["Notifications:DropFolder"] = drops };
        await practices.ApplyThenStopEngineAsync(database, "servitel", settings);

        var secretariat = Sipp.Secretariat(asterisk, "secretariat-busy.xml", practices.PortA);
        var patient = Sipp.Patient(asterisk, "patient-leaves-message.xml", TilleulsNumber, "+33630000111", holdMs: 14000);
        var results = await Sipp.AllSucceedAsync(patient, secretariat);
        Assert.That(results[1].Received("INVITE"), Does.StartWith("INVITE sip:+33567000001@"), "the Tilleuls' secretariat was tried first");

        await using var engine = await EngineUnderTest.StartAsync(asterisk, database, provision: true, settings: settings);
        var voicemails = engine.Service<VoicemailRepository>();
        var message = (await WaitForAsync(() => voicemails.ListAsync("cabinet", includeListened: true), m => m.Count > 0, "the message in the store")).Single();
        var notices = await WaitForAsync(() => Task.FromResult(Drops(drops)), d => d.Length > 0, "the notification");

        Assert.Multiple(() =>
        {
            Assert.That(message.PracticeId, Is.EqualTo("tilleuls"));
            Assert.That(message.CallerNumber, Is.EqualTo("+33630000111"));
            Assert.That(message.DurationSeconds, Is.InRange(3, 30), "the patient spoke about 5 s");
            Assert.That(message.RecordingName, Does.StartWith("fallback~tilleuls~cabinet~"));
            Assert.That(notices, Has.Length.EqualTo(1));
            Assert.That(File.ReadAllText(notices[0]), Does.Contain(message.Id).And.Contain("secretariat@tilleuls.example.fr"));
        });
        // The audio is in the engine's voicemail folder, the row points at it, and Asterisk's spool copy is gone.
        var file = engine.VoicemailFiles.PathOf(message.RecordingName);
        Assert.That(File.Exists(file), $"{file} exists");
        Assert.That(WavDuration.Seconds(await File.ReadAllBytesAsync(file)), Is.EqualTo(message.DurationSeconds), "the audio is the message's");
        Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "health data: 0600");
        Assert.ThrowsAsync<Ari.AriNotFoundException>(() => engine.Ari.Recordings.GetStoredFileAsync(message.RecordingName), "no copy left in Asterisk's spool");
        Assert.That(Directory.GetFiles(engine.VoicemailFiles.TempFolder), Is.Empty, "no partial copy left");

        var again = await engine.Service<FallbackVoicemailImporter>().ImportAsync(CancellationToken.None);
        Assert.That(again, Is.EqualTo(new FallbackImportReport(0, 0, 0, 0, 0)), "a second pass imports and notifies nothing");
        Assert.That(await voicemails.ListAsync("cabinet", includeListened: true), Has.Count.EqualTo(1));
        Assert.That(await voicemails.ListAsync("accueil", includeListened: true), Is.Empty, "not the other practice's box");
        Assert.That(Drops(drops), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task EngineUp_APlanThatRunsOutOfSteps_EndsInThePracticesBox_AndThePeriodicPassImportsIt()
    {
        await using var asterisk = new AsteriskInstance();
        await asterisk.StartAsync();
        var practices = new TwoPractices(asterisk);
        var drops = Path.Combine(Path.GetTempPath(), "pbxrouter-it", $"drops-{Guid.NewGuid():N}");
        var settings = new Dictionary<string, string?> { ["Notifications:DropFolder"] = drops, ["Engine:FallbackVoicemailEvery"] = "00:00:02" };
        await using var engine = await EngineUnderTest.StartAsync(asterisk, NewDatabasePath(asterisk),
            time: new Hosting.PinnedClock(DateTimeOffset.Parse("2026-11-24T10:00:00+01:00")), provision: true, settings: settings);
        await engine.ApplyRulesAsync("two-practices-test.yaml", practices.Rules("servitel"));

        // The line's plan is one announcement; then its fallback route: the busy secretariat, the message.
        var secretariat = Sipp.Secretariat(asterisk, "secretariat-busy.xml", practices.PortA);
        var patient = Sipp.Patient(asterisk, "patient-leaves-message.xml", "+33145000099", "+33630000112", holdMs: 17000);
        await Sipp.AllSucceedAsync(patient, secretariat);

        var voicemails = engine.Service<VoicemailRepository>();
        var message = (await WaitForAsync(() => voicemails.ListAsync("cabinet", includeListened: true), m => m.Count > 0, "the message in the store")).Single();
        await WaitForAsync(() => Task.FromResult(Drops(drops)), d => d.Length > 0, "the notification");
        Assert.That(message.CallerNumber, Is.EqualTo("+33630000112"));
        Assert.That(message.PracticeId, Is.EqualTo("tilleuls"));
        var record = await engine.WaitForRecordAsync((await engine.WaitForCallAsync(c => c.CallerNumber == "+33630000112")).CallId);
        Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Fallback));
        Assert.That(message.CallId, Is.EqualTo(record.CallId), "the message names the call it was left on");
    }

    private static string[] Drops(string folder) => Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json") : [];

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (limit.IsCancellationRequested) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }
}
