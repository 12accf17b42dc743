using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Phones.PhonesOut;

namespace PbxRouter.IntegrationTests.Phones;

/// <summary>
/// Internal calls by extension between a practice's phones (Rules/phones-out-test.yaml: 101 reception, 201 Dr Martin with
/// the box "cabinet", 202 Dr Leroy without a box, 301 the Val's reception): connected and recorded; a busy or unanswered
/// extension goes to its phone's box, else the caller is told; another practice's extension is never reached.
/// </summary>
[TestFixture]
public sealed class PhoneInternalCallTests : PhonesFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Phones:InternalRingTime"] = "00:00:04" };

    [Test]
    public async Task Extension201_RingsDrMartin_WhoAnswers_TheCallIsConnectedAndRecorded()
    {
        var seen = Seen();
        var martin = await RegisteredAsync("tilleuls", "dr-martin", "127.0.0.8", "phone-answers.xml");
        var call = Phones.Dial(Endpoint("tilleuls", "accueil-1"), "201");
        var results = await Sipp.AllSucceedAsync(call, martin);

        var record = await RecordOfAsync("201", seen);
        Assert.Multiple(() =>
        {
            Assert.That(results[1].Received("INVITE"), Does.Match(@"(?m)^From:[^\r\n]*<sip:101@"), "Dr Martin's phone shows the reception's extension");
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Answered), PracticeCalls.Describe(record));
            Assert.That(record.AnsweredBy, Is.EqualTo("dr-martin"));
            Assert.That(record.CalledNumber, Is.EqualTo("201"));
            Assert.That(record.Steps.Select(s => s.Kind), Is.EqualTo(new[]
                { CallStepKinds.Entered, CallStepKinds.Ringing, CallStepKinds.Answered, CallStepKinds.HungUp }), PracticeCalls.Describe(record));
        });
    }

    [Test]
    public async Task Extension202_Busy_WithoutABox_TheCallerIsToldItIsBusy()
    {
        var seen = Seen();
        var leroy = await RegisteredAsync("tilleuls", "dr-leroy", "127.0.0.9", "phone-busy.xml");
        var call = Phones.Dial(Endpoint("tilleuls", "accueil-1"), "202", "phone-call-refused.xml");
        var results = await Sipp.AllSucceedAsync(call, leroy);

        var record = await RecordOfAsync("202", seen);
        Assert.Multiple(() =>
        {
            Assert.That(results[0].Messages, Does.Contain("SIP/2.0 183"), "the message as early media");
            Assert.That(results[0].Messages, Does.Contain("SIP/2.0 486"), "then busy");
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Unanswered), PracticeCalls.Describe(record));
            Assert.That(record.Steps.Any(s => s.Kind == CallStepKinds.Unanswered && s.Target == "dr-leroy" && s.Detail == "BUSY"), PracticeCalls.Describe(record));
        });
    }

    [Test]
    public async Task Extension201_NoAnswer_GoesToDrMartinsVoicemailBox()
    {
        var seen = Seen();
        var martin = await RegisteredAsync("tilleuls", "dr-martin", "127.0.0.8", "phone-rings.xml");
        var call = Phones.Dial(Endpoint("tilleuls", "accueil-1"), "201", holdMs: 4000);
        await Sipp.AllSucceedAsync(call, martin);

        var record = await RecordOfAsync("201", seen);
        Assert.Multiple(() =>
        {
            Assert.That(record.Steps.Any(s => s.Kind == CallStepKinds.Unanswered && s.Target == "dr-martin"), PracticeCalls.Describe(record));
            Assert.That(record.Steps.Any(s => s.Kind == CallStepKinds.Voicemail && s.Detail == "recording"), "the box takes the call: " + PracticeCalls.Describe(record));
        });
    }

    [Test]
    public async Task AnotherPracticesExtension_IsNeverReached()
    {
        var seen = Seen();
        var martin = await RegisteredAsync("tilleuls", "dr-martin", "127.0.0.8", "phone-answers.xml");
        var call = await Phones.Dial(Endpoint("val", "accueil"), "201", "phone-call-refused.xml").WaitAsync();
        var record = await RecordOfAsync("201", seen);
        martin.Kill();
        var rung = await martin.WaitAsync();

        Assert.Multiple(() =>
        {
            Assert.That(call.Succeeded, call.ToString());
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Refused), PracticeCalls.Describe(record));
            Assert.That(record.PracticeId, Is.EqualTo("val"));
            Assert.That(rung.Received("INVITE"), Is.Null, "Dr Martin's phone of the Tilleuls never rang");
        });
    }

    private async Task<SippRun> RegisteredAsync(string practice, string phone, string address, string scenario)
    {
        var endpoint = Endpoint(practice, phone);
        var port = FreePorts.Udp(address);
        await Sipp.RegisterPhoneAsync(Asterisk, endpoint, Password(endpoint), address, port);
        return Sipp.Phone(scenario, address, port);
    }
}
