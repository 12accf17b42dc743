using PbxRouter.Calls.Tests.Support;

namespace PbxRouter.Calls.Tests.Phones;

public sealed class FeatureCodeHandlerTests
{
    [Test]
    public async Task Star21_FromDrMartinsDeskPhone_SwitchesAllCallsToTheSecretariatWithoutPin()
    {
        await using var t = new PhoneTestCall("dr-martin", "*21");

        await t.RunAsync();

        Assert.That(await t.ModeAsync(), Is.EqualTo("all-to-secretariat"));
        var change = (await t.State.HistoryAsync("tilleuls")).First();
        Assert.Multiple(() =>
        {
            Assert.That(change.SetBy, Is.EqualTo("dr-martin"));
            Assert.That(change.Via, Is.EqualTo("feature-code *21"));
            Assert.That(t.Fake.Matching("code-entrez"), Is.Empty, "no PIN asked");
            Assert.That(t.Fake.Matching("media=sound:pbxrouter/renvoi-active"), Is.Not.Empty, "confirmation");
            Assert.That(t.Fake.Matching(@"^DELETE channels/phone-1\?"), Is.Not.Empty, "hung up");
        });
    }

    [Test]
    public async Task Hash21_AfterStar21_CancelsTheMode()
    {
        await using var t = new PhoneTestCall("dr-durand", "#21");
        await t.State.SetModeAsync("tilleuls", "all-to-secretariat", "dr-martin", "feature-code *21");

        await t.RunAsync();

        Assert.That(await t.ModeAsync(), Is.Null);
        Assert.That(t.Fake.Matching("renvoi-desactive"), Is.Not.Empty);
    }

    [Test]
    public async Task Star28_Twice_TogglesClosedOnThenOff()
    {
        await using (var on = new PhoneTestCall("dr-martin", "*28"))
        {
            await on.RunAsync();
            Assert.That(await on.ModeAsync(), Is.EqualTo("closed"));
            Assert.That(on.Fake.Matching("mode-active"), Is.Not.Empty);
        }
        await using var off = new PhoneTestCall("dr-martin", "*28");
        await off.State.SetModeAsync("tilleuls", "closed", "dr-martin", "feature-code *28");
        await off.RunAsync();
        Assert.That(await off.ModeAsync(), Is.Null);
    }

    [Test]
    public async Task Star21_FromReceptionWithoutThePin_IsRefusedAfterThreeTriesWhichLockTheCodes()
    {
        await using var t = new PhoneTestCall("accueil-1", "*21");
        t.KeysAtPinPrompt("0000#");

        await t.RunAsync();

        Assert.That(await t.ModeAsync(), Is.Null, "mode unchanged");
        Assert.That(t.Fake.Matching("code-entrez"), Has.Count.EqualTo(3));
        Assert.That(t.Fake.Matching("code-incorrect,sound:pbxrouter/code-verrouille"), Is.Not.Empty, "the third wrong PIN in a row locks");
    }

    [Test]
    public async Task Star21_FromReceptionWithThePin_SwitchesTheMode()
    {
        await using var t = new PhoneTestCall("accueil-1", "*21");
        t.KeysAtPinPrompt(PhoneTestCall.Pin + "#");

        await t.RunAsync();

        Assert.That(await t.ModeAsync(), Is.EqualTo("all-to-secretariat"));
        Assert.That((await t.State.HistoryAsync("tilleuls")).First().SetBy, Is.EqualTo("accueil-1"));
    }

    [Test]
    public async Task Pin_DtmfFlood_IsReadBoundedAndRefused()
    {
        await using var t = new PhoneTestCall("accueil-2", "*21");
        t.KeysAtPinPrompt(new string('9', 500));

        await t.RunAsync();

        Assert.That(await t.ModeAsync(), Is.Null);
        Assert.That(t.Fake.Matching("code-entrez"), Has.Count.EqualTo(3), "each flood ends the read at the PIN length limit");
    }

    [Test]
    public async Task FeatureCode_FromTheTrunk_IsRefusedWithoutAnswering()
    {
        await using var t = new PhoneTestCall(phoneId: null, "*21");

        await t.RunAsync();

        Assert.That(await t.ModeAsync(), Is.Null);
        Assert.That(t.Fake.Matching(@"/answer"), Is.Empty);
        Assert.That(t.Fake.Matching("code-refuse"), Is.Not.Empty);
    }

    [Test]
    public async Task OutsideNumber_FromAPhone_IsNotAFeatureCodeAndIsRefused()
    {
        await using var t = new PhoneTestCall("dr-martin", "0612345678");

        await t.RunAsync();

        Assert.That(t.Fake.Matching(@"^POST channels/phone-1/answer"), Is.Empty);
        Assert.That(await t.ModeAsync(), Is.Null);
    }

    [Test]
    public async Task Star97_WithTwoMessages_ReadsThemAndMarksThemListened()
    {
        await using var t = new PhoneTestCall("dr-martin", "*97");
        var at = new DateTimeOffset(2026, 11, 23, 13, 5, 0, TimeSpan.Zero);
        await t.Voicemails.AddAsync(new Store.VoicemailMessage("m1", "tilleuls", "tilleuls", "+33611223344", at, 9, "vm-a", false, "c1"));
        await t.Voicemails.AddAsync(new Store.VoicemailMessage("m2", "tilleuls", "tilleuls", null, at.AddHours(1), 4, "vm-b", false, "c2"));

        await t.RunAsync();

        var all = await t.Voicemails.ListAsync("tilleuls", includeListened: true);
        Assert.Multiple(() =>
        {
            Assert.That(t.Fake.Matching(@"media=sound:pbxrouter/vm-nombre,number:2"), Is.Not.Empty);
            Assert.That(t.Fake.Matching(@"digits:0611223344,sound:pbxrouter/vm-recu-le,number:23,sound:pbxrouter/mois-11,sound:pbxrouter/vm-a,number:14,sound:pbxrouter/vm-heures,number:5,recording:vm-a"),
                Is.Not.Empty, "caller and Paris time before the message");
            Assert.That(t.Fake.Matching(@"vm-message-masque.*recording:vm-b"), Is.Not.Empty);
            Assert.That(all.All(m => m.ListenedBy == "dr-martin"), Is.True);
            Assert.That(t.Fake.Matching("vm-fin"), Is.Not.Empty);
        });
    }

    [Test]
    public async Task Star97_Key7_DeletesTheMessageAndItsAudio()
    {
        await using var t = new PhoneTestCall("dr-martin", "*97");
        await t.Voicemails.AddAsync(new Store.VoicemailMessage("m1", "tilleuls", "tilleuls", "+33611223344", DateTimeOffset.UtcNow, 9, "vm-a", false, "c1"));
        t.Fake.On(@"^POST channels/phone-1/play/.*vm-menu", _ => t.Call.Deliver(Events.Dtmf("phone-1", "7")));

        await t.RunAsync();

        Assert.That(await t.Voicemails.ListAsync("tilleuls", includeListened: true), Is.Empty);
        Assert.That(t.Fake.Matching(@"^DELETE recordings/stored/vm-a"), Is.Not.Empty);
        Assert.That((await t.Voicemails.AccessLogAsync("m1")).Select(a => a.Action), Is.EqualTo(new[] { "listened", "deleted" }));
    }
}
