using PbxRouter.Calls.Tests.Support;

namespace PbxRouter.Calls.Tests.Phones;

/// <summary>The GSM forwarding codes on the handler: *21*NUMBER# (stored, audited, read back), refused numbers, #21#, *#21#.</summary>
public sealed class FeatureCodeForwardTests
{
    [Test]
    public async Task Star21NumberHash_FromDrMartin_ForwardsThePracticeAndReadsTheNumberBack()
    {
        await using var t = new PhoneTestCall("dr-martin", "*21*0612345678#");

        await t.RunAsync();

        var mode = (await t.State.GetModesAsync())["tilleuls"];
        var change = (await t.State.HistoryAsync("tilleuls")).First();
        Assert.Multiple(() =>
        {
            Assert.That(mode.ForwardTo, Is.EqualTo("+33612345678"));
            Assert.That(mode.Mode, Is.Null);
            Assert.That((change.SetBy, change.Via, change.ForwardTo), Is.EqualTo(("dr-martin", "feature-code *21*NUMBER#", "+33612345678")));
            Assert.That(t.Fake.Matching("code-entrez"), Is.Empty, "no PIN from a phone in without_pin");
            Assert.That(t.Fake.Matching(@"media=sound:pbxrouter/renvoi-vers&"), Is.Not.Empty, "renvoyés vers le...");
            Assert.That(t.Fake.Matching(@"media=digits:0612345678&"), Is.Not.Empty, "...the number read out");
        });
    }

    [TestCase("*21*0899123456#", "appel-surtaxe-refuse")]
    [TestCase("*21*0044207946000#", "appel-international-refuse")]
    [TestCase("*21*15#", "renvoi-impossible")]
    public async Task Star21NumberHash_ToANumberThePracticeMayNotCall_IsRefusedWithAMessageAndChangesNothing(string dialled, string prompt)
    {
        await using var t = new PhoneTestCall("dr-martin", dialled);

        await t.RunAsync();

        var modes = await t.State.GetModesAsync();
        var history = await t.State.HistoryAsync("tilleuls");
        Assert.Multiple(() =>
        {
            Assert.That(t.Fake.Matching($@"media=sound:pbxrouter/renvoi-refuse,sound:pbxrouter/{prompt}"), Is.Not.Empty);
            Assert.That(t.Fake.Matching(@"^POST channels/phone-1/answer"), Is.Empty, "early media, never answered");
            Assert.That(modes, Is.Empty);
            Assert.That(history, Is.Empty);
        });
    }

    [Test]
    public async Task Star21NumberHash_FromReception_AsksThePinFirst()
    {
        await using var t = new PhoneTestCall("accueil-1", "*21*0612345678#");
        t.KeysAtPinPrompt(PhoneTestCall.Pin + "#");

        await t.RunAsync();

        Assert.That(t.Fake.Matching("code-entrez"), Has.Count.EqualTo(1));
        Assert.That((await t.State.GetModesAsync())["tilleuls"].ForwardTo, Is.EqualTo("+33612345678"));
    }

    [Test]
    public async Task Hash21Hash_AfterAForward_CancelsIt()
    {
        await using var t = new PhoneTestCall("dr-durand", "#21#");
        await t.State.SetForwardAsync("tilleuls", "+33612345678", "dr-martin", "feature-code *21*NUMBER#");

        await t.RunAsync();

        var mode = (await t.State.GetModesAsync())["tilleuls"];
        Assert.That((mode.Mode, mode.ForwardTo), Is.EqualTo(((string?)null, (string?)null)));
        Assert.That((await t.State.HistoryAsync("tilleuls")).First().PreviousForwardTo, Is.EqualTo("+33612345678"));
        Assert.That(t.Fake.Matching("renvoi-desactive"), Is.Not.Empty);
    }

    [Test]
    public async Task Hash21Hash_WithNothingOn_SaysSo()
    {
        await using var t = new PhoneTestCall("dr-durand", "#21#");
        await t.RunAsync();
        Assert.That(t.Fake.Matching("renvoi-aucun"), Is.Not.Empty);
        Assert.That(await t.State.HistoryAsync("tilleuls"), Is.Empty, "nothing to audit");
    }

    [Test]
    public async Task StarHash21Hash_SaysNoneTheModeAndItsCodeOrTheForwardedNumber()
    {
        await using (var none = new PhoneTestCall("dr-martin", "*#21#"))
        {
            await none.RunAsync();
            Assert.That(none.Fake.Matching(@"media=sound:pbxrouter/etat-aucun"), Is.Not.Empty);
        }
        await using (var mode = new PhoneTestCall("dr-martin", "*#21#"))
        {
            await mode.State.SetModeAsync("tilleuls", "closed", "dr-martin", "feature-code *28");
            await mode.RunAsync();
            Assert.That(mode.Fake.Matching(@"media=sound:pbxrouter/etat-mode,sound:pbxrouter/etat-mode-code&"), Is.Not.Empty);
            Assert.That(mode.Fake.Matching(@"media=digits:\*28&"), Is.Not.Empty, "the code read out");
        }
        await using var forward = new PhoneTestCall("dr-martin", "*#21#");
        await forward.State.SetForwardAsync("tilleuls", "+33612345678", "dr-martin", "feature-code *21*NUMBER#");
        await forward.RunAsync();
        Assert.That(forward.Fake.Matching(@"media=sound:pbxrouter/renvoi-vers&"), Is.Not.Empty);
        Assert.That(forward.Fake.Matching(@"media=digits:0612345678&"), Is.Not.Empty);
        Assert.That(await forward.State.HistoryAsync("tilleuls"), Has.Count.EqualTo(1), "asking changes nothing");
    }

    [Test]
    public async Task Star21_Mode_ReplacesAForward()
    {
        await using var t = new PhoneTestCall("dr-martin", "*21");
        await t.State.SetForwardAsync("tilleuls", "+33612345678", "dr-martin", "feature-code *21*NUMBER#");

        await t.RunAsync();

        var mode = (await t.State.GetModesAsync())["tilleuls"];
        Assert.That((mode.Mode, mode.ForwardTo), Is.EqualTo(("all-to-secretariat", (string?)null)));
    }
}
