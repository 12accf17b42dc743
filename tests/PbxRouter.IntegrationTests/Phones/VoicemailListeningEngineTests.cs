using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Phones;
using PbxRouter.Hosting;
using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Phones.ListeningPractice;

namespace PbxRouter.IntegrationTests.Phones;

/// <summary>
/// *97 through the whole engine, real Asterisk and SIPp (Rules/voicemail-listen-test.yaml, a Tuesday 10:00): a patient leaves a
/// message; dr-martin's phone (the box's owner) listens without PIN, replays (1) and calls the patient back (4) through the
/// practice's trunk; then deletes it (3). accueil-1 must give the box's PIN: three wrong ones over three calls lock the box.
/// </summary>
[TestFixture]
public sealed class VoicemailListeningEngineTests : PracticeFixture
{
    private const string Patient = "+33630000111";
    private EngineUnderTest _engine = null!;
    private ListeningPractice _practice = null!;

    [OneTimeSetUp]
    public async Task StartEngineAsync()
    {
        _practice = new ListeningPractice(Asterisk);
        _engine = await EngineUnderTest.StartAsync(Asterisk, provision: true, time: new PinnedClock(DateTimeOffset.Parse("2026-11-24T10:00:00+01:00")));
        await _engine.ApplyRulesAsync("voicemail-listen-test.yaml", _practice.Rules());
    }

    [OneTimeTearDown]
    public async Task StopEngineAsync()
    {
        if (_engine is not null) await _engine.DisposeAsync();
    }

    [Test, Order(1)]
    public async Task TheOwnersPhone_HearsTheCount_Replays_CallsBack_ThenDeletes()
    {
        var patient = Sipp.Patient(Asterisk, "patient-leaves-message.xml", TilleulsNumber, Patient, holdMs: 9000);
        Assert.That((await patient.WaitAsync()).Succeeded, "the patient left a message");
        var voicemails = _engine.Service<VoicemailRepository>();
        var message = (await WaitForAsync(() => voicemails.ListAsync("cabinet", includeListened: true), m => m.Count > 0, "the message")).Single();
        var audio = _engine.Service<IVoicemailAudio>();
        await using (var before = await audio.OpenReadAsync(message, CancellationToken.None))
            Assert.That(before, Is.Not.Null, "the message has audio");

        // Listen: 1 (replay) during the message, then 4 (call back) during the replay; the phone hangs up 16 s later (the rest of the header, "calling back", a short conversation).
        var carrier = Sipp.Secretariat(Asterisk, "secretariat-answers.xml", _practice.PortA);
        var listen = _practice.Dial("dr-martin", "*97", [(13500, "1"), (4000, "4")], hangUpAfterMs: 16000);
        var results = await Sipp.AllSucceedAsync(listen, carrier);
        var first = await _engine.WaitForCallAsync(c => c.CalledNumber == "*97");
        var invite = results[1].Received("INVITE");
        var record = await _engine.WaitForRecordAsync(first.CallId);
        var afterListen = await voicemails.AccessLogAsync(message.Id);

        Assert.Multiple(() =>
        {
            Assert.That(Next(first.Media, "sound:pbxrouter/vm-nombre"), Is.EqualTo("number:1"), "one new message, said: " + string.Join(" ", first.Media));
            Assert.That(first.Media, Has.Some.StartsWith($"sound:{Asterisk.PromptsAsteriskPath}/.voicemail-playback/"), "the message's audio played (its playback copy)");
            Assert.That(first.Media, Does.Not.Contain("sound:pbxrouter/code-entrez"), "the owner's phone is not asked a PIN");
            Assert.That(afterListen.Select(a => (a.Action, a.By)), Is.EqualTo(new[] { ("listened", "dr-martin"), ("listened", "dr-martin") }),
                "played, then replayed (key 1), each audited");
            Assert.That(invite, Does.StartWith($"INVITE sip:{Patient}@"), results[1].Messages);
            Assert.That(invite, Does.Match($@"(?m)^From:[^\r\n]*sip:\{TilleulsNumber}@"), "the practice's number as caller ID");
            Assert.That(record.CalledNumber, Is.EqualTo(Patient));
            Assert.That(record.CallerNumber, Is.EqualTo(TilleulsNumber));
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Answered), PracticeCalls.Describe(record));
            Assert.That(record.Steps[0].Detail, Does.Contain($"call back of voicemail message {message.Id}"));
        });

        // Again: no new message now; 3 deletes it.
        var seen = _engine.Journal.Finished.Select(c => c.CallId).ToHashSet();
        var delete = await _practice.Dial("dr-martin", "*97", [(6000, "3")], hangUpAfterMs: null).WaitAsync();
        Assert.That(delete.Succeeded, delete.ToString());
        var second = await _engine.WaitForCallAsync(c => c.CalledNumber == "*97" && !seen.Contains(c.CallId));
        var log = await voicemails.AccessLogAsync(message.Id);
        await using var after = await audio.OpenReadAsync(message, CancellationToken.None);
        var left = await voicemails.ListAsync("cabinet", includeListened: true);

        Assert.Multiple(() =>
        {
            Assert.That(Next(second.Media, "sound:pbxrouter/vm-nombre"), Is.EqualTo("number:0"), "no new message: " + string.Join(" ", second.Media));
            Assert.That(second.Media, Does.Contain("sound:pbxrouter/vm-supprime"));
            Assert.That(left, Is.Empty, "the index row is gone");
            Assert.That(log.Last().Action, Is.EqualTo("deleted"));
            Assert.That(log.Last().By, Is.EqualTo("dr-martin"));
            Assert.That(after, Is.Null, "the audio is gone");
        });
    }

    [Test, Order(2)]
    public async Task AnotherPhone_IsAskedThePin_ThreeWrongPinsOverThreeCalls_LockTheBox_EvenForTheRightPin()
    {
        var patient = Sipp.Patient(Asterisk, "patient-leaves-message.xml", TilleulsNumber, "+33630000222", holdMs: 9000);
        Assert.That((await patient.WaitAsync()).Succeeded, "the patient left a message");
        var voicemails = _engine.Service<VoicemailRepository>();
        await WaitForAsync(() => voicemails.ListAsync("cabinet", includeListened: true), m => m.Count > 0, "the message");
        var pins = _engine.Service<PinAttemptRepository>();
        var scope = VoicemailListening.PinScope("tilleuls", "cabinet");

        for (var call = 1; call <= 3; call++)
        {
            var seen = _engine.Journal.Finished.Select(c => c.CallId).ToHashSet();
            var wrong = await _practice.Dial("accueil-1", "*97", [(2500, "0000#")], hangUpAfterMs: 4000).WaitAsync();
            Assert.That(wrong.Succeeded, wrong.ToString());
            var trace = await _engine.WaitForCallAsync(c => c.CalledNumber == "*97" && !seen.Contains(c.CallId));
            Assert.That(trace.Media, Does.Contain("sound:pbxrouter/code-entrez"), $"call {call}: the PIN is asked");
        }
        var attempts = await pins.HistoryAsync(scope);
        var lockedUntil = await pins.LockedUntilAsync(scope);
        Assert.That(attempts.Select(a => (a.TriedBy, a.Accepted)), Is.EqualTo(Enumerable.Repeat(("accueil-1", false), 3)), "three wrong PINs, audited");
        Assert.That(lockedUntil, Is.Not.Null, "the box is locked");

        // Fourth call: the box says it is locked at once (the PBX hangs up); the right PIN would only be keyed if it asked.
        var seenBefore = _engine.Journal.Finished.Select(c => c.CallId).ToHashSet();
        var fourth = await _practice.DialExpectingHangUp("accueil-1", "*97", waitMs: 15000, BoxPin + "#").WaitAsync();
        var last = await _engine.WaitForCallAsync(c => c.CalledNumber == "*97" && !seenBefore.Contains(c.CallId));

        Assert.That(fourth.Succeeded, fourth.ToString());
        Assert.That(last.Media, Does.Contain("sound:pbxrouter/vm-verrouille"), string.Join(" ", last.Media));
        Assert.That(last.Media, Does.Not.Contain("sound:pbxrouter/code-entrez"), "not even asked for the PIN");
        Assert.That(await pins.HistoryAsync(scope), Has.Count.EqualTo(3), "no attempt on a locked box");
        Assert.That((await voicemails.ListAsync("cabinet", includeListened: false)), Has.Count.EqualTo(1), "the message was not heard");
    }

    private static string? Next(IReadOnlyList<string> media, string after)
    {
        var i = media.ToList().IndexOf(after);
        return i >= 0 && i + 1 < media.Count ? media[i + 1] : null;
    }

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
