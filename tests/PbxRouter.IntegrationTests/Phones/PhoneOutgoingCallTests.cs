using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Phones.PhonesOut;

namespace PbxRouter.IntegrationTests.Phones;

/// <summary>
/// Outside numbers from the practices' phones through the engine (Rules/phones-out-test.yaml: national and mobiles allowed,
/// international and premium not): an allowed number reaches the carrier presenting the practice's (or the line's) number;
/// refused numbers get a spoken message (early media) then refused (403/603); every call is in the call records.
/// </summary>
[TestFixture]
public sealed class PhoneOutgoingCallTests : PhonesFixture
{
    [TestCase("accueil-1", "0612345678", "+33612345678", TilleulsNumber)]
    [TestCase("dr-leroy", "01 40 00 00 00", "+33140000000", LeroyLineNumber)]
    public async Task AnAllowedNumber_ReachesTheCarrierInE164_PresentingThePracticesNumber_AndIsRecorded(string phone, string dialled, string e164, string presented)
    {
        var carrier = Phones.Carrier();
        var call = Phones.Dial(Endpoint("tilleuls", phone), dialled.Replace(" ", ""));
        var results = await Sipp.AllSucceedAsync(call, carrier);
        var invite = results[1].Received("INVITE");

        var record = await RecordOfAsync(dialled.Replace(" ", ""));
        Assert.That(record.CalledNumber, Is.EqualTo(e164));
        Assert.Multiple(() =>
        {
            Assert.That(invite, Does.StartWith($"INVITE sip:{e164}@"), results[1].Messages);
            Assert.That(invite, Does.Match($@"(?m)^From:[^\r\n]*sip:\{presented}@"), "the practice's (or the line's) number as caller ID");
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Answered), PracticeCalls.Describe(record));
            Assert.That(record.PracticeId, Is.EqualTo("tilleuls"));
            Assert.That(record.CallerNumber, Is.EqualTo(presented));
            Assert.That(record.AnsweredBy, Is.EqualTo(e164[..4] + new string('*', e164.Length - 6) + e164[^2..]), "the number masked in the steps");
            Assert.That(record.Steps.Select(s => s.Kind), Is.EqualTo(new[]
                { CallStepKinds.Entered, CallStepKinds.Ringing, CallStepKinds.Answered, CallStepKinds.HungUp }), PracticeCalls.Describe(record));
        });
    }

    [TestCase("0899123456", "+33899123456", "premium")]
    [TestCase("+442071234567", "+442071234567", "international")]
    [TestCase("0044207946000", "+44207946000", "international")]
    public async Task APremiumOrInternationalNumber_IsRefusedWithAMessage_NothingReachesTheCarrier(string dialled, string e164, string kind)
    {
        var carrier = Phones.Carrier();
        var call = await Phones.Dial(Endpoint("tilleuls", "accueil-1"), dialled, "phone-call-refused.xml").WaitAsync();
        var record = await RecordOfAsync(dialled);
        Assert.That(record.CalledNumber, Is.EqualTo(e164));
        carrier.Kill();
        var outside = await carrier.WaitAsync();

        Assert.Multiple(() =>
        {
            Assert.That(call.Succeeded, call.ToString());
            Assert.That(call.Messages, Does.Contain("SIP/2.0 183"), "the message as early media");
            Assert.That(call.Messages, Does.Match("SIP/2.0 (403|603) "), "then refused (cause call rejected)");
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Refused), PracticeCalls.Describe(record));
            Assert.That(record.Steps.Select(s => s.Kind), Is.EqualTo(new[] { CallStepKinds.Entered, CallStepKinds.Refused }));
            Assert.That(record.Steps[1].Detail, Does.Contain(kind).And.Contain("not allowed"));
            Assert.That(outside.Received("INVITE"), Is.Null, "nothing was dialled out");
        });
    }
}
