using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Fallback;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Hosting;
using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;

namespace PbxRouter.IntegrationTests;

/// <summary>
/// The engine's voicemail folder with real Asterisk and SIPp: a message being recorded when the engine is killed (-9) is
/// recovered at the next start into the folder (spool copy gone) and notified; a phone's *97 plays the stored file although
/// Asterisk (chrooted) cannot read that folder, through a short-lived copy it can read, removed after the listening.
/// </summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class VoicemailStoreTests
{
    [Test]
    public async Task MessageBeingRecorded_AtAKill9_IsRecoveredAtTheNextStart_IntoTheFolder_AndNotifiedOnce()
    {
        await using var asterisk = new AsteriskInstance(fallbackNumber: PracticeCalls.SecretariatNumber);
        await asterisk.StartAsync();
        var drops = Path.Combine(Path.GetTempPath(), "pbxrouter-it", $"drops-{Guid.NewGuid():N}");
        await using var served = await ServedPractice.StartAsync(asterisk, PracticeCalls.Night, "vm-kill", new Dictionary<string, string>
        {
            ["Notifications:DropFolder"] = drops, ["Engine:FallbackVoicemailEvery"] = "00:00:02",
        }, rules: text => text.Replace("- { id: tilleuls, name: Cabinet }",
            "- { id: tilleuls, name: Cabinet, notify: [{ email: secretariat@tilleuls.example.fr }] }", StringComparison.Ordinal));

        // Night: the closed announcement (about 12 s), the beep, then the patient speaks 4.7 s and hangs up.
        const string caller = "+33640000731";
        var patient = Sipp.Patient(asterisk, "patient-leaves-message.xml", PracticeCalls.PracticeNumber, caller, holdMs: 14000);
        await served.WaitForStepAsync(caller, CallStepKinds.Voicemail);
        var recording = (await served.Engine.WaitForLineAsync(@"record\?name=(vm~[^&]+)&", "the engine starts recording the message")).Groups[1].Value;
        served.Engine.Kill();
        Assert.That((await Sipp.AllSucceedAsync(patient))[0].Succeeded, "the patient spoke and hung up while no engine ran");
        Assert.That(Directory.Exists(served.VoicemailFolder) ? Directory.GetFiles(served.VoicemailFolder, "*.wav") : [], Is.Empty,
            "nothing in the folder yet: the message is in Asterisk's spool");

        await served.RestartAsync(kill: true);

        var voicemails = new VoicemailRepository(new StoreDatabase(served.Database, TimeProvider.System), TimeProvider.System);
        var message = (await WaitForAsync(() => voicemails.ListAsync("tilleuls", includeListened: true), m => m.Count > 0, "the message indexed")).Single();
        var notices = await WaitForAsync(() => Task.FromResult(Drops(drops)), d => d.Length > 0, "the notification");
        var file = Path.Combine(served.VoicemailFolder, recording + ".wav");
        await using var probe = Probe(asterisk);
        Assert.Multiple(async () =>
        {
            Assert.That(message.RecordingName, Is.EqualTo(recording), "the row points at the recording");
            Assert.That(message.CallerNumber, Is.EqualTo(caller));
            Assert.That(File.Exists(file), $"{file} exists");
            Assert.That(WavDuration.Seconds(await File.ReadAllBytesAsync(file)), Is.EqualTo(message.DurationSeconds).And.GreaterThanOrEqualTo(1));
            Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.ThrowsAsync<AriNotFoundException>(() => probe.Recordings.GetStoredAsync(recording), "Asterisk's spool copy is gone");
            Assert.That(notices, Has.Length.EqualTo(1));
            Assert.That(await File.ReadAllTextAsync(notices[0]), Does.Contain(message.Id).And.Contain("secretariat@tilleuls.example.fr"));
        });
    }

    [Test]
    public async Task MessageBeingRecorded_AtAKill9_ThePatientStillSpeaking_TheNextEngineTakesItOver_StoresItInTheFolder_AndNotifiesOnce()
    {
        await using var asterisk = new AsteriskInstance(fallbackNumber: PracticeCalls.SecretariatNumber);
        await asterisk.StartAsync();
        var drops = Path.Combine(Path.GetTempPath(), "pbxrouter-it", $"drops-{Guid.NewGuid():N}");
        await using var served = await ServedPractice.StartAsync(asterisk, PracticeCalls.Night, "vm-takeover", new Dictionary<string, string>
        {
            ["Notifications:DropFolder"] = drops, ["Engine:FallbackVoicemailEvery"] = "00:00:02",
            // The patient is silent from the beep until 8 s later, then speaks: the recording must not stop at that silence.
            ["Voicemail:MaxSilenceSeconds"] = "30",
        }, rules: text => text.Replace("- { id: tilleuls, name: Cabinet }",
            "- { id: tilleuls, name: Cabinet, notify: [{ email: secretariat@tilleuls.example.fr }] }", StringComparison.Ordinal));

        // The closed announcement (about 12 s), the beep, 8 s of silence, 4.7 s of speech, 5.5 s, then the patient hangs up:
        // the patient is still on the line about 18 s after the kill, while a new engine starts and takes the call over.
        const string caller = "+33640000741";
        var patient = Sipp.Patient(asterisk, "patient-leaves-message.xml", PracticeCalls.PracticeNumber, caller, holdMs: 20000);
        await served.WaitForStepAsync(caller, CallStepKinds.Voicemail);
        var recording = (await served.Engine.WaitForLineAsync(@"record\?name=(vm~[^&]+)&", "the engine starts recording the message")).Groups[1].Value;
        await served.RestartAsync(kill: true);
        await Sipp.AllSucceedAsync(patient);

        var record = await served.FinishedRecordOfAsync(caller);
        var voicemails = new VoicemailRepository(new StoreDatabase(served.Database, TimeProvider.System), TimeProvider.System);
        var message = (await WaitForAsync(() => voicemails.ListAsync("tilleuls", includeListened: true), m => m.Count > 0, "the message indexed")).Single();
        var notices = await WaitForAsync(() => Task.FromResult(Drops(drops)), d => d.Length > 0, "the notification");
        var file = Path.Combine(served.VoicemailFolder, recording + ".wav");
        await using var probe = Probe(asterisk);
        Assert.Multiple(async () =>
        {
            Assert.That(record.Steps.Select(s => s.Detail), Does.Contain("recording (taken over)"), PracticeCalls.Describe(record));
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Voicemail), PracticeCalls.Describe(record));
            Assert.That(message.RecordingName, Is.EqualTo(recording), "the row points at the recording");
            Assert.That(File.Exists(file), $"{file} exists");
            // SIPp sends no RTP while it is silent, so the file holds the 4.7 s of speech, all of it spoken after the kill.
            // The row has Asterisk's length of the recording (whole seconds), the file's is rounded: one second apart at most.
            Assert.That(WavDuration.Seconds(await File.ReadAllBytesAsync(file)), Is.InRange(message.DurationSeconds - 1, message.DurationSeconds + 1)
                .And.GreaterThanOrEqualTo(4), "the speech after the kill is in it");
            Assert.ThrowsAsync<AriNotFoundException>(() => probe.Recordings.GetStoredAsync(recording), "Asterisk's spool copy is gone");
            Assert.That(notices, Has.Length.EqualTo(1), "notified once");
        });
    }

    [Test]
    public async Task Star97_PlaysTheStoredFile_ThroughACopyAsteriskCanRead_RemovedAfterTheListening()
    {
        await using var asterisk = new AsteriskInstance();
        await asterisk.StartAsync();
        Environment.SetEnvironmentVariable("TILLEULS_MARTIN_PASSWORD", $"pw-martin-{Environment.ProcessId}");
        Environment.SetEnvironmentVariable("TILLEULS_ACCUEIL1_PASSWORD", $"pw-accueil-{Environment.ProcessId}");
        var database = Path.Combine(Path.GetTempPath(), "pbxrouter-it-vm97", Guid.NewGuid().ToString("N")[..12], "pbxrouter.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        // A message in the engine's folder: 3 s of tone, named as the engine names its messages, indexed by the reconciliation.
        var at = DateTimeOffset.Parse("2026-11-23T21:05:00+01:00");
        var name = $"vm~tilleuls~tilleuls~{at.ToUnixTimeSeconds()}~1795000000-42~p33612345678";
        Directory.CreateDirectory(database + ".voicemail");
        await File.WriteAllBytesAsync(Path.Combine(database + ".voicemail", name + ".wav"), Tone(seconds: 3));

        await using var engine = await EngineUnderTest.StartAsync(asterisk, database, time: new PinnedClock(DateTimeOffset.Parse("2026-11-24T10:00:00+01:00")),
            provision: true, settings: new Dictionary<string, string?> { ["Engine:FallbackVoicemailEvery"] = "00:00:01" });
        var playbacks = new ConcurrentQueue<Playback>();
        engine.Ari.EventReceived += e =>
        {
            if (e is PlaybackFinished f) playbacks.Enqueue(f.Playback);
        };
        await engine.ApplyRulesAsync("tilleuls.yaml", await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "samples", "rules", "tilleuls.yaml")));
        var voicemails = new VoicemailRepository(engine.Database, TimeProvider.System);
        var message = (await WaitForAsync(() => voicemails.ListAsync("tilleuls", includeListened: true), m => m.Count > 0, "the file indexed")).Single();
        Assert.That((message.DurationSeconds, message.CallerNumber), Is.EqualTo((3, "+33612345678")));

        // accueil-1 owns the box (owner_phones in the sample): it listens without the box's PIN.
        var reception = PjsipConfig.PhoneEndpoint("tilleuls", "accueil-1");
        var sip = await SippRun.Start("phone-accueil-1", "phone-feature-code.xml",
        [
            "-s", "*97", "-key", "phone", reception, "-au", reception, "-ap", $"pw-accueil-{Environment.ProcessId}",
            "-i", "127.0.0.6", "-p", FreePorts.Udp("127.0.0.6").ToString(), $"127.0.0.1:{asterisk.SipPort}",
        ], countsAsCall: true).WaitAsync();

        var copies = Path.Combine(asterisk.PromptsPath, ".voicemail-playback");
        var played = playbacks.Where(p => p.MediaUri.StartsWith($"sound:{asterisk.PromptsAsteriskPath}/.voicemail-playback/", StringComparison.Ordinal)).ToList();
        var listened = (await voicemails.ListAsync("tilleuls", includeListened: true)).Single();
        Assert.Multiple(async () =>
        {
            Assert.That(sip.Succeeded, sip.ToString());
            Assert.That(played, Has.Count.EqualTo(1), "the message's copy was the last media of one playback: " + string.Join(", ", playbacks.Select(p => $"{p.MediaUri} {p.State}")));
            Assert.That(played.FirstOrDefault()?.State, Is.EqualTo("done"), "Asterisk played it to its end (a file it cannot read ends 'failed')");
            Assert.That(File.Exists(asterisk.MessagesLog) ? await File.ReadAllTextAsync(asterisk.MessagesLog) : "", Does.Not.Contain(".voicemail-playback"),
                "no warning about the copy in Asterisk's log");
            Assert.That(Directory.Exists(copies) ? Directory.GetFiles(copies) : [], Is.Empty, "the copy is removed after the listening");
            Assert.That(listened.ListenedBy, Is.EqualTo("accueil-1"));
            Assert.That(File.Exists(engine.VoicemailFiles.PathOf(name)), "the stored file stays");
        });
    }

    /// <summary>8 kHz, 16-bit mono WAV of a 440 Hz tone, as Asterisk records (wav).</summary>
    private static byte[] Tone(int seconds)
    {
        var samples = seconds * 8000;
        using var wav = new MemoryStream();
        using var w = new BinaryWriter(wav);
        w.Write("RIFF"u8); w.Write(36 + samples * 2); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(8000); w.Write(16000); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(samples * 2);
        for (var i = 0; i < samples; i++) w.Write((short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 8000)));
        return wav.ToArray();
    }

    private static AriClient Probe(AsteriskInstance asterisk) => new(new AriOptions
    {
        BaseUrl = asterisk.AriUrl, User = AsteriskInstance.AriUser, Password = asterisk.AriPassword, Application = "it-probe",
    }, NullLoggerFactory.Instance);

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
