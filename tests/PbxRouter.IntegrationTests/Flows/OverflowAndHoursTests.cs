using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Flows.PracticeCalls;

namespace PbxRouter.IntegrationTests.Flows;

/// <summary>Entry, opening hours and overflow to the remote secretariat, through a real Asterisk with the clock pinned.</summary>
[TestFixture]
public sealed class OverflowAndHoursTests : PracticeFixture
{
    [TestCase("lunch", "+33630000001")]
    [TestCase("evening", "+33630000002")]
    public async Task Call_AtLunchOrInTheEvening_GoesStraightToTheSecretariatWithPatientAndPracticeNumbers(string when, string caller)
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, when == "lunch" ? Lunch : Evening);
        var secretariat = Sipp.Secretariat(Asterisk);
        var patient = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, caller, holdMs: 1500);
        var invite = await Sipp.InviteAtSecretariatAsync(patient, secretariat);
        Assert.Multiple(() =>
        {
            Assert.That(invite, Does.StartWith($"INVITE sip:{SecretariatNumber}@"));
            Assert.That(invite, Does.Match($@"(?m)^From:.*sip:\{caller}@"), "patient's number presented");
            Assert.That(invite, Does.Match(@"(?m)^Diversion:.*\+33145000000"), "practice's number in Diversion");
            Assert.That(invite, Does.Match(@"(?m)^X-Practice: tilleuls"), "tag header");
        });
        var record = await practice.RecordOfAsync(caller);
        Assert.Multiple(() =>
        {
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Overflowed), Describe(record));
            Assert.That(record.AnsweredBy, Is.EqualTo("servitel"), Describe(record));
            Assert.That(record.PracticeId, Is.EqualTo("tilleuls"));
            Assert.That(record.Steps.Select(s => s.Kind), Is.EqualTo(new[]
                { CallStepKinds.Entered, CallStepKinds.Greeting, CallStepKinds.Ringing, CallStepKinds.Overflowed, CallStepKinds.HungUp }), Describe(record));
            Assert.That(record.HungUpBy, Is.EqualTo("caller"), Describe(record));
            Assert.That(record.Steps.Any(s => s.Kind == CallStepKinds.Queued), Is.False, "no queue at " + when);
        });
    }

    [TestCase("night", "+33630000003")]
    [TestCase("christmas", "+33630000004")]
    public async Task Call_WhenClosedOrOnAHoliday_HearsTheEmergencyMessageThenTakesTheLastResort(string when, string caller)
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, when == "night" ? Night : Christmas);
        var patient = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, caller, holdMs: 14000);
        var result = await patient.WaitAsync();

        Assert.That(result.Succeeded, result.ToString());
        var record = await practice.RecordOfAsync(caller);
        var kinds = record.Steps.Select(s => s.Kind).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(record.Steps.First(s => s.Kind == CallStepKinds.Entered).Detail, Does.StartWith(when == "night" ? "Closed" : "Holiday"));
            Assert.That(record.Steps.Any(s => s.Kind == CallStepKinds.Announced && s.Target == "closed"), Describe(record));
            Assert.That(kinds, Does.Not.Contain(CallStepKinds.Greeting).And.Not.Contain(CallStepKinds.Ringing), Describe(record));
            // The voicemail step is another executor's; without it, or after it, nobody is left: the dialplan's last resort.
            Assert.That(kinds.Contains(CallStepKinds.Voicemail) || kinds.Contains(CallStepKinds.Fallback), Describe(record));
        });
    }

    [Test]
    public async Task Call_ToAnUnknownNumber_HearsAShortAnnouncementAndIsRefused()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var result = await Sipp.Patient(Asterisk, "patient-refused.xml", "+33199999999", "+33630000005").WaitAsync();

        Assert.That(result.Succeeded, result.ToString());
        Assert.That(result.Messages, Does.Contain("SIP/2.0 183").And.Contain("SIP/2.0 404"), "announcement as early media, then 404");
        var record = await practice.RecordOfAsync("+33630000005");
        Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Refused), Describe(record));
        Assert.That(record.PracticeId, Is.Null);
    }

    [Test]
    public async Task Call_FromABlockedNumber_IsRefusedBeforeAnything()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var result = await Sipp.Patient(Asterisk, "patient-refused.xml", PracticeNumber, "+33666666666").WaitAsync();

        Assert.That(result.Succeeded, result.ToString());
        Assert.That(result.Messages, Does.Contain("SIP/2.0 403"));
        var record = await practice.RecordOfAsync("+33666666666");
        Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Refused), Describe(record));
        Assert.That(record.Steps.Select(s => s.Kind), Is.EqualTo(new[] { CallStepKinds.Entered, CallStepKinds.Refused }), Describe(record));
    }
}
