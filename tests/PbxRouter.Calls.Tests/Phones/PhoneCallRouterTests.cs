using PbxRouter.Calls.Tests.Support;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Phones;

/// <summary>The router of calls from phones on a fake ARI (the Tilleuls' sample rules: international and premium refused by default).</summary>
public sealed class PhoneCallRouterTests
{
    [TestCase("+442071234567", "appel-international-refuse", "+442071234567")]
    [TestCase("0899123456", "appel-surtaxe-refuse", "+33899123456")]
    [TestCase("12345678901", "numero-invalide", "12345678901")]
    public async Task ARefusedNumber_HearsWhyAsEarlyMedia_IsDeclined_AndRecorded(string dialled, string prompt, string called)
    {
        await using var t = new PhoneTestCall("accueil-1", dialled);

        await t.RouteAsync();
        await t.Records.FlushAsync();

        var record = await t.RecordsRead.GetAsync("phone-1");
        Assert.Multiple(() =>
        {
            Assert.That(t.Fake.Matching($"media=sound:pbxrouter/{prompt}"), Is.Not.Empty, "the reason, spoken");
            Assert.That(t.Fake.Matching(@"^POST channels/phone-1/answer"), Is.Empty, "never answered: early media");
            Assert.That(t.Fake.Matching(@"^DELETE channels/phone-1\?.*reason=rejected"), Is.Not.Empty, "declined");
            Assert.That(t.Fake.Matching(@"^POST channels/create"), Is.Empty, "nothing dialled");
            Assert.That(record!.Outcome, Is.EqualTo(CallOutcomes.Refused));
            Assert.That(record.CalledNumber, Is.EqualTo(called));
            Assert.That(record.Steps.Select(s => s.Kind), Is.EqualTo(new[] { CallStepKinds.Entered, CallStepKinds.Refused }));
        });
    }

    [Test]
    public async Task AFeatureCode_GoesToTheFeatureCodes_AndIsNotACallRecord()
    {
        await using var t = new PhoneTestCall("dr-martin", "*21");

        await t.RouteAsync();
        await t.Records.FlushAsync();

        Assert.That(await t.ModeAsync(), Is.EqualTo("all-to-secretariat"));
        Assert.That(await t.RecordsRead.GetAsync("phone-1"), Is.Null);
    }

    [Test]
    public async Task ACallerThatIsNoPhone_IsRefused_WithoutDiallingAnything()
    {
        await using var t = new PhoneTestCall(null, "0612345678");

        await t.RouteAsync();

        Assert.That(t.Fake.Matching("code-refuse"), Is.Not.Empty);
        Assert.That(t.Fake.Matching(@"^POST channels/create"), Is.Empty);
    }

    [Test]
    public async Task APhoneCallTakenOverFromAPreviousEngine_IsHungUp_NotDialledAgain()
    {
        await using var t = new PhoneTestCall("accueil-1", "0612345678", state: "Up");

        await t.RouteAsync();

        Assert.That(t.Fake.Matching(@"^POST channels/create"), Is.Empty, "the number is not dialled behind the user's back");
        Assert.That(t.Fake.Matching(@"^DELETE channels/phone-1\?"), Is.Not.Empty);
    }
}
