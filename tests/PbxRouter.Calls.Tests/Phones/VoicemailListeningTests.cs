using System.Collections.Concurrent;
using PbxRouter.Calls.Phones;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Phones;

/// <summary>
/// *97 on the fake ARI with the Tilleuls' sample rules: box "tilleuls" is owned by accueil-1 and accueil-2 (no PIN), its PIN
/// (TILLEULS_VOICEMAIL_PIN) is asked from the doctors' phones; keys 1 replay, 2 next, 3 delete, 4 call back, 0 menu.
/// </summary>
public sealed class VoicemailListeningTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 13, 5, 0, TimeSpan.Zero);
    private static readonly string Scope = VoicemailListening.PinScope("tilleuls", "tilleuls");

    private static VoicemailMessage Message(string id, string? caller, DateTimeOffset at, string recording) =>
        new(id, "tilleuls", "tilleuls", caller, at, 9, recording, false, "c-" + id);

    /// <summary>The phone keys one choice each time it is asked for one ("vm-choix"); "" lets the wait end.</summary>
    private static void KeysAtChoice(PhoneTestCall t, params string[] keys)
    {
        var queue = new ConcurrentQueue<string>(keys);
        t.Fake.On(@"^POST channels/phone-1/play/.*vm-choix", _ =>
        {
            if (queue.TryDequeue(out var key) && key != "") t.Call.Deliver(Events.Dtmf("phone-1", key));
        });
    }

    [Test]
    public async Task FromAnOwnerPhone_NoPin_TheNewCount_ThenEachMessageWithCallerAndDate_NewOnesFirst()
    {
        await using var t = new PhoneTestCall("accueil-1", "*97");
        await t.Voicemails.AddAsync(Message("m1", "+33611223344", At, "vm-a"));
        await t.Voicemails.AddAsync(Message("m2", null, At.AddHours(1), "vm-b"));
        await t.Voicemails.AddAsync(Message("m0", "+33600000000", At.AddHours(2), "vm-old"));
        await t.Voicemails.MarkListenedAsync("m0", "dr-martin");

        await t.RunAsync();

        var plays = t.Fake.Matching(@"^POST channels/phone-1/play/");
        var all = await t.Voicemails.ListAsync("tilleuls", includeListened: true);
        Assert.Multiple(() =>
        {
            Assert.That(t.Fake.Matching("code-entrez"), Is.Empty, "an owner phone is not asked a PIN");
            Assert.That(plays.FindIndex(p => p.Contains("media=sound:pbxrouter/vm-nombre&")) + 1, Is.EqualTo(plays.FindIndex(p => p.Contains("media=number:2&"))),
                "2 new messages (m0 was listened to)");
            var header = plays.FindIndex(p => p.Contains("media=sound:pbxrouter/vm-message-de&"));
            Assert.That(plays.Skip(header).Take(19).Select(p => p.Split("media=")[1].Split('&')[0]), Is.EqualTo(new[]
            {
                "sound:pbxrouter/vm-message-de", "sound:digits/0", "sound:digits/6", "sound:digits/1", "sound:digits/1", "sound:digits/2",
                "sound:digits/2", "sound:digits/3", "sound:digits/3", "sound:digits/4", "sound:digits/4", "sound:pbxrouter/vm-recu-le",
                "number:23", "sound:pbxrouter/mois-11", "sound:pbxrouter/vm-a", "number:14", "sound:pbxrouter/vm-heures", "number:5",
                "recording:vm-a",
            }), "caller and Paris time, then the message");
            Assert.That(plays[plays.FindIndex(p => p.Contains("media=sound:pbxrouter/vm-message-masque&")) + 8], Does.Contain("media=recording:vm-b&"));
            Assert.That(plays.FindIndex(p => p.Contains("recording:vm-old")), Is.GreaterThan(plays.FindIndex(p => p.Contains("recording:vm-a"))),
                "the message already listened to comes after the new ones");
            Assert.That(all.Where(m => m.Id != "m0").All(m => m.ListenedBy == "accueil-1"), Is.True);
            Assert.That(t.Fake.Matching("vm-fin"), Is.Not.Empty);
        });
    }

    [Test]
    public async Task AKeyDuringTheHeader_StopsItThere_AndIsTheChoice()
    {
        await using var t = new PhoneTestCall("accueil-1", "*97");
        await t.Voicemails.AddAsync(Message("m1", "+33611223344", At, "vm-a"));
        t.Fake.On(@"^POST channels/phone-1/play/.*media=sound:digits/6&", _ => t.Call.Deliver(Events.Dtmf("phone-1", "3")));

        await t.RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(t.Fake.Matching("media=sound:digits/2&"), Is.Empty, "the header stopped at the key (the next digit at most had started)");
            Assert.That(t.Fake.Matching("recording:vm-a"), Is.Empty, "so did the message");
            Assert.That(t.Fake.Matching("media=sound:pbxrouter/vm-supprime"), Is.Not.Empty, "3 deleted it");
        });
    }

    [Test]
    public async Task NoMessage_SaysSo()
    {
        await using var t = new PhoneTestCall("accueil-2", "*97");

        await t.RunAsync();

        Assert.That(t.Fake.Matching("media=sound:pbxrouter/vm-aucun"), Is.Not.Empty);
    }

    [Test]
    public async Task Key1_Replays_Key2_GoesToTheNext()
    {
        await using var t = new PhoneTestCall("accueil-1", "*97");
        await t.Voicemails.AddAsync(Message("m1", "+33611223344", At.AddHours(1), "vm-a"));
        await t.Voicemails.AddAsync(Message("m2", "+33611223355", At, "vm-b"));
        KeysAtChoice(t, "1", "2", "");

        await t.RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(t.Fake.Matching("recording:vm-a"), Has.Count.EqualTo(2), "played, then replayed");
            Assert.That(t.Fake.Matching("recording:vm-b"), Has.Count.EqualTo(1));
            Assert.That(t.Fake.Matching("vm-fin"), Is.Not.Empty);
        });
        Assert.That((await t.Voicemails.AccessLogAsync("m1")).Select(a => a.Action), Is.EqualTo(new[] { "listened", "listened" }));
    }

    [Test]
    public async Task Key3_DeletesTheMessageAndItsAudio_Audited()
    {
        await using var t = new PhoneTestCall("accueil-1", "*97");
        await t.Voicemails.AddAsync(Message("m1", "+33611223344", At, "vm-a"));
        KeysAtChoice(t, "3");

        await t.RunAsync();

        Assert.That(await t.Voicemails.ListAsync("tilleuls", includeListened: true), Is.Empty);
        Assert.That(t.Fake.Matching(@"^DELETE recordings/stored/vm-a"), Is.Not.Empty, "the audio, through IVoicemailAudio");
        Assert.That(t.Fake.Matching("media=sound:pbxrouter/vm-supprime"), Is.Not.Empty);
        var log = await t.Voicemails.AccessLogAsync("m1");
        Assert.That(log.Select(a => (a.Action, a.By)), Is.EqualTo(new[] { ("listened", "accueil-1"), ("deleted", "accueil-1") }));
    }

    [Test]
    public async Task Key0_ReadsTheMenu_AKeyDuringItIsTheChoice()
    {
        await using var t = new PhoneTestCall("accueil-1", "*97");
        await t.Voicemails.AddAsync(Message("m1", "+33611223344", At, "vm-a"));
        KeysAtChoice(t, "0");
        t.Fake.On(@"^POST channels/phone-1/play/.*vm-menu", _ => t.Call.Deliver(Events.Dtmf("phone-1", "3")));

        await t.RunAsync();

        Assert.That(t.Fake.Matching("media=sound:pbxrouter/vm-menu"), Has.Count.EqualTo(1));
        Assert.That(await t.Voicemails.ListAsync("tilleuls", includeListened: true), Is.Empty, "3 keyed during the menu deleted it");
    }

    [Test]
    public async Task Key4_CallsTheCallerBack_ThroughTheTrunk_PresentingThePracticesNumber_AndRecordsTheCall()
    {
        await using var t = new PhoneTestCall("accueil-1", "*97");
        await t.Voicemails.AddAsync(Message("m1", "+33611223344", At, "vm-a"));
        KeysAtChoice(t, "4");
        t.Fake.On(@"^POST channels/[^/]+-outside-[0-9]+/dial", line => t.Call.Deliver(Events.Dial(Events.ChannelOf(line), "BUSY")));

        await t.RunAsync();
        await t.Records.FlushAsync();

        var record = await t.RecordsRead.GetAsync("phone-1");
        Assert.Multiple(() =>
        {
            Assert.That(t.Fake.Matching("media=sound:pbxrouter/vm-rappel"), Is.Not.Empty, "the phone is told");
            Assert.That(t.Fake.Matching(@"^POST channels/create\?endpoint=PJSIP/\+33611223344@trunk&"), Has.Count.EqualTo(1), "the caller's number through the trunk");
            Assert.That(System.Text.Json.JsonDocument.Parse(t.Fake.Bodies.Single(b => b.Key.StartsWith("POST channels/create")).Value)
                    .RootElement.GetProperty("variables").GetProperty("CONNECTEDLINE(num)").GetString(), Is.EqualTo("+33145000000"),
                "the practice's number as connected line");
            Assert.That(record, Is.Not.Null, "the call back is a call record");
            Assert.That(record!.CalledNumber, Is.EqualTo("+33611223344"));
            Assert.That(record.CallerNumber, Is.EqualTo("+33145000000"));
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Unanswered));
            Assert.That(record.Steps[0].Detail, Does.Contain("call back of voicemail message m1"));
            Assert.That(t.Fake.Matching("vm-fin"), Is.Empty, "the listening ended with the call back");
        });
    }

    [Test]
    public async Task Key4_OnAWithheldCaller_IsRefusedAloud_AndTheMenuGoesOn()
    {
        await using var t = new PhoneTestCall("accueil-1", "*97");
        await t.Voicemails.AddAsync(Message("m1", null, At, "vm-a"));
        KeysAtChoice(t, "4", "3");

        await t.RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(t.Fake.Matching("media=sound:pbxrouter/vm-rappel-masque"), Is.Not.Empty);
            Assert.That(t.Fake.Matching(@"^POST channels/create"), Is.Empty, "nothing dialled");
        });
        Assert.That(await t.Voicemails.ListAsync("tilleuls", includeListened: true), Is.Empty, "then 3 deleted it");
    }

    [Test]
    public async Task Key4_OnANumberThePolicyRefuses_SaysWhy_NothingDialled()
    {
        await using var t = new PhoneTestCall("accueil-1", "*97");
        await t.Voicemails.AddAsync(Message("m1", "+442071234567", At, "vm-a"));
        KeysAtChoice(t, "4", "2");

        await t.RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(t.Fake.Matching("media=sound:pbxrouter/appel-international-refuse"), Is.Not.Empty, "international calls are refused by the sample's policy");
            Assert.That(t.Fake.Matching(@"^POST channels/create"), Is.Empty);
            Assert.That(t.Fake.Matching("vm-fin"), Is.Not.Empty);
        });
    }

    [Test]
    public async Task FromAnotherPhone_TheBoxPin_ThenTheMessages_AttemptAudited()
    {
        await using var t = new PhoneTestCall("dr-martin", "*97");
        await t.Voicemails.AddAsync(Message("m1", "+33611223344", At, "vm-a"));
        t.KeysAtPinPrompt(PhoneTestCall.BoxPin + "#");

        await t.RunAsync();

        var attempts = await t.Pins.HistoryAsync(Scope);
        Assert.Multiple(() =>
        {
            Assert.That(t.Fake.Matching("code-entrez"), Has.Count.EqualTo(1));
            Assert.That(t.Fake.Matching("recording:vm-a"), Is.Not.Empty);
            Assert.That(attempts.Select(a => (a.TriedBy, a.Accepted)), Is.EqualTo(new[] { ("dr-martin", true) }));
        });
    }

    [Test]
    public async Task FromAnotherPhone_TheDoctorsFeatureCodePin_IsNotTheBoxPin()
    {
        await using var t = new PhoneTestCall("dr-durand", "*97");
        await t.Voicemails.AddAsync(Message("m1", "+33611223344", At, "vm-a"));
        t.KeysAtPinPrompt(PhoneTestCall.Pin + "#");

        await t.RunAsync();

        var until = await t.Pins.LockedUntilAsync(Scope);
        Assert.Multiple(() =>
        {
            Assert.That(t.Fake.Matching("recording:vm-a"), Is.Empty, "nothing heard");
            Assert.That(t.Fake.Matching("code-entrez"), Has.Count.EqualTo(3), "three tries in this call, then locked");
            Assert.That(t.Fake.Matching("vm-verrouille"), Is.Not.Empty);
            Assert.That(until, Is.Not.Null);
        });
    }

    [Test]
    public async Task TwoWrongPinsInEarlierCalls_ThenOneWrongPin_LocksTheBox()
    {
        await using var t = new PhoneTestCall("dr-martin", "*97");
        await t.Voicemails.AddAsync(Message("m1", "+33611223344", At, "vm-a"));
        await t.Pins.RecordAsync(Scope, "dr-durand", false, VoicemailListening.MaxWrongPins, VoicemailListening.LockFor);
        await t.Pins.RecordAsync(Scope, "dr-martin", false, VoicemailListening.MaxWrongPins, VoicemailListening.LockFor);
        t.KeysAtPinPrompt("0000#");

        await t.RunAsync();

        var until = await t.Pins.LockedUntilAsync(Scope);
        Assert.Multiple(() =>
        {
            Assert.That(t.Fake.Matching("code-entrez"), Has.Count.EqualTo(1), "the third wrong PIN in a row, across calls");
            Assert.That(t.Fake.Matching(@"media=sound:pbxrouter/code-incorrect,sound:pbxrouter/vm-verrouille"), Is.Not.Empty);
            Assert.That(until, Is.Not.Null);
            Assert.That(until!.Value - DateTimeOffset.UtcNow, Is.GreaterThan(TimeSpan.FromMinutes(14)).And.LessThanOrEqualTo(TimeSpan.FromMinutes(15)));
        });
    }

    [Test]
    public async Task ALockedBox_SaysSoAtOnce_EvenToTheRightPin()
    {
        await using var t = new PhoneTestCall("dr-martin", "*97");
        await t.Voicemails.AddAsync(Message("m1", "+33611223344", At, "vm-a"));
        for (var i = 0; i < VoicemailListening.MaxWrongPins; i++)
            await t.Pins.RecordAsync(Scope, "dr-durand", false, VoicemailListening.MaxWrongPins, VoicemailListening.LockFor);
        t.KeysAtPinPrompt(PhoneTestCall.BoxPin + "#");

        await t.RunAsync();

        var attempts = await t.Pins.HistoryAsync(Scope);
        Assert.Multiple(() =>
        {
            Assert.That(t.Fake.Matching("media=sound:pbxrouter/vm-verrouille"), Is.Not.Empty);
            Assert.That(t.Fake.Matching("code-entrez"), Is.Empty, "not even asked");
            Assert.That(t.Fake.Matching("recording:vm-a"), Is.Empty);
            Assert.That(attempts, Has.Count.EqualTo(3), "no new attempt");
        });
    }

    [Test]
    public async Task ALockedBox_StillOpensToItsOwnerPhone()
    {
        await using var t = new PhoneTestCall("accueil-2", "*97");
        await t.Voicemails.AddAsync(Message("m1", "+33611223344", At, "vm-a"));
        for (var i = 0; i < VoicemailListening.MaxWrongPins; i++)
            await t.Pins.RecordAsync(Scope, "dr-durand", false, VoicemailListening.MaxWrongPins, VoicemailListening.LockFor);

        await t.RunAsync();

        Assert.That(t.Fake.Matching("recording:vm-a"), Is.Not.Empty);
    }
}
