using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Flows.PracticeCalls;

namespace PbxRouter.IntegrationTests.Flows;

/// <summary>The reception queue during opening hours: registered SIPp phones, the patient and the secretariat on the trunk.</summary>
[TestFixture]
public sealed class QueueTests : PracticeFixture
{
    [Test]
    public async Task Call_WhenOpen_RingsAllReceptionPhonesAndTheFirstToAnswerTakesIt()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var first = await practice.PhoneAsync("accueil-1", "phone-answers.xml");
        var second = await practice.PhoneAsync("accueil-2", "phone-rings.xml");
        var patient = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, "+33640000001", holdMs: 1500);

        var results = await Task.WhenAll(patient.WaitAsync(), first.WaitAsync(), second.WaitAsync());

        Assert.That(results.Where(r => !r.Succeeded), Is.Empty, string.Join("\n", results.Where(r => !r.Succeeded)));
        Assert.That(results[1].Received("INVITE"), Does.Match(@"(?m)^From:.*\+33640000001"), "the phone shows the patient's number");
        Assert.That(results[2].Received("CANCEL"), Is.Not.Null, "the other phone stopped ringing");
        var record = await practice.RecordOfAsync("+33640000001");
        Assert.Multiple(() =>
        {
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Answered), Describe(record));
            Assert.That(record.AnsweredBy, Is.EqualTo("accueil-1"), Describe(record));
            Assert.That(record.Steps.Where(s => s.Kind == CallStepKinds.Ringing).Select(s => s.Target), Is.EquivalentTo(new[] { "accueil-1", "accueil-2" }), Describe(record));
            Assert.That(record.Steps.Select(s => s.Kind), Does.Contain(CallStepKinds.Queued).And.Not.Contain(CallStepKinds.Overflowed), Describe(record));
            Assert.That(record.HungUpBy, Is.EqualTo("caller"), Describe(record));
        });
    }

    [Test]
    public async Task Call_FromAVip_SkipsTheGreetingAndGoesStraightToTheReception()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var phone = await practice.PhoneAsync("accueil-1", "phone-answers.xml");
        var other = await practice.PhoneAsync("accueil-2", "phone-rings.xml");
        var lab = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, "+33140000000", holdMs: 1000);

        var results = await Task.WhenAll(lab.WaitAsync(), phone.WaitAsync(), other.WaitAsync());

        Assert.That(results.Where(r => !r.Succeeded), Is.Empty, string.Join("\n", results.Where(r => !r.Succeeded)));
        var record = await practice.RecordOfAsync("+33140000000");
        Assert.Multiple(() =>
        {
            Assert.That(record.Steps.Select(s => s.Kind), Does.Not.Contain(CallStepKinds.Greeting), Describe(record));
            Assert.That(record.Steps[1].Kind, Is.EqualTo(CallStepKinds.Queued), Describe(record));
            Assert.That(record.AnsweredBy, Is.EqualTo("accueil-1"), Describe(record));
        });
    }

    [Test]
    public async Task Call_WhenNobodyAnswersWithinTheRingTime_OverflowsToTheSecretariat()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var phones = new[] { await practice.PhoneAsync("accueil-1", "phone-rings.xml"), await practice.PhoneAsync("accueil-2", "phone-rings.xml") };
        var secretariat = Sipp.Secretariat(Asterisk);
        var patient = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, "+33640000002", holdMs: 9000);

        var results = await Task.WhenAll(patient.WaitAsync(), secretariat.WaitAsync(), phones[0].WaitAsync(), phones[1].WaitAsync());

        Assert.That(results.Where(r => !r.Succeeded), Is.Empty, string.Join("\n", results.Where(r => !r.Succeeded)));
        AssertSecretariatInvite(results[1], "+33640000002");
        var record = await practice.RecordOfAsync("+33640000002");
        Assert.Multiple(() =>
        {
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Overflowed), Describe(record));
            Assert.That(record.Steps.Any(s => s.Kind == CallStepKinds.Unanswered && s.Detail!.Contains("nobody answered")), Describe(record));
        });
    }

    [Test]
    public async Task Call_WhenNoReceptionPhoneIsRegistered_OverflowsAtOnce()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var secretariat = Sipp.Secretariat(Asterisk);
        var patient = Sipp.Patient(Asterisk, "patient-hangs-up.xml", NobodyRegisteredLine, "+33640000003", holdMs: 1000);

        var results = await Task.WhenAll(patient.WaitAsync(), secretariat.WaitAsync());

        Assert.That(results.Where(r => !r.Succeeded), Is.Empty, string.Join("\n", results.Where(r => !r.Succeeded)));
        AssertSecretariatInvite(results[1], "+33640000003", practiceNumber: NobodyRegisteredLine);
        var record = await practice.RecordOfAsync("+33640000003");
        Assert.Multiple(() =>
        {
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Overflowed), Describe(record));
            Assert.That(record.Steps.Any(s => s.Kind == CallStepKinds.Unanswered && s.Detail!.Contains("none registered")), Describe(record));
            Assert.That(record.Steps.Any(s => s.Kind == CallStepKinds.Ringing && s.Target != "servitel"), Is.False, Describe(record));
        });
    }

    [Test]
    public async Task Calls_WhenTheQueueIsFull_TheNextCallerOverflows()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var phones = new[] { await practice.PhoneAsync("accueil-1", "phone-rings.xml"), await practice.PhoneAsync("accueil-2", "phone-rings.xml") };
        // max_callers is 1: the first caller waits while the phones ring, the second goes to the secretariat.
        var waiting = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, "+33640000004", holdMs: 3000);
        await WaitUntilAsync(() => practice.Engine.Journal.Active.Any(c => c.CallerNumber == "+33640000004" && c.Steps.Any(s => s.Contains(": Queue"))));
        var secretariat = Sipp.Secretariat(Asterisk);
        var second = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, "+33640000005", holdMs: 1000);

        var results = await Task.WhenAll(second.WaitAsync(), secretariat.WaitAsync(), waiting.WaitAsync(), phones[0].WaitAsync(), phones[1].WaitAsync());

        Assert.That(results.Where(r => !r.Succeeded), Is.Empty, string.Join("\n", results.Where(r => !r.Succeeded)));
        var record = await practice.RecordOfAsync("+33640000005");
        Assert.Multiple(() =>
        {
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Overflowed), Describe(record));
            Assert.That(record.Steps.Any(s => s.Kind == CallStepKinds.Unanswered && s.Detail!.Contains("queue full")), Describe(record));
        });
    }

    [Test]
    public async Task Call_WhenTheCallerHangsUpWhileWaiting_IsRecordedAsAbandonedAndThePhonesStopRinging()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var phones = new[] { await practice.PhoneAsync("accueil-1", "phone-rings.xml"), await practice.PhoneAsync("accueil-2", "phone-rings.xml") };
        var patient = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, "+33640000006", holdMs: 1500);

        var results = await Task.WhenAll(patient.WaitAsync(), phones[0].WaitAsync(), phones[1].WaitAsync());

        Assert.That(results.Where(r => !r.Succeeded), Is.Empty, string.Join("\n", results.Where(r => !r.Succeeded)));
        Assert.That(results.Skip(1).Select(r => r.Received("CANCEL")), Has.All.Not.Null, "both phones stopped ringing");
        var record = await practice.RecordOfAsync("+33640000006");
        Assert.Multiple(() =>
        {
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Abandoned), Describe(record));
            Assert.That(record.HungUpBy, Is.EqualTo("caller"), Describe(record));
            Assert.That(record.Steps.Single(s => s.Kind == CallStepKinds.Abandoned).Detail, Does.Match(@"^after \d+ s$"), Describe(record));
            Assert.That(record.AnsweredBy, Is.Null, Describe(record));
        });
    }

    internal static void AssertSecretariatInvite(SippResult secretariat, string caller, string practiceNumber = PracticeNumber)
    {
        var invite = secretariat.Received("INVITE");
        Assert.That(invite, Is.Not.Null, secretariat.Messages);
        Assert.Multiple(() =>
        {
            Assert.That(invite, Does.StartWith($"INVITE sip:{SecretariatNumber}@"));
            Assert.That(invite, Does.Match($@"(?m)^From:.*sip:\{caller}@"), "patient's number presented");
            Assert.That(invite, Does.Match($@"(?m)^Diversion:.*\{practiceNumber}"), "practice's number in Diversion");
            Assert.That(invite, Does.Match(@"(?m)^X-Practice: tilleuls"), "tag header");
        });
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (limit.IsCancellationRequested) Assert.Fail("timed out waiting for the call to queue");
            await Task.Delay(50);
        }
    }
}
