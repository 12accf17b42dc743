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
}
