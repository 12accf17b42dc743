using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Flows.PracticeCalls;

namespace PbxRouter.IntegrationTests.Transfers;

/// <summary>
/// A secretary who answered a patient from the reception queue presses the phone's transfer key (SIP REFER): real
/// Asterisk, SIPp as the patient, the reception phone and the doctor's desk phone (all phones registered with their passwords).
/// </summary>
[TestFixture]
public sealed class TransferTests : PracticeFixture
{
    private static readonly Dictionary<string, string> ToDrMartin = new() { ["target"] = "201" };

    [Test]
    public async Task BlindTransfer_FromReceptionToTheDoctorsExtension_ConnectsThePatientToTheDoctor_AndTheRecordSaysSo()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var secretary = await practice.PhoneAsync("accueil-1", "secretary-transfers.xml", ToDrMartin);
        var doctor = await practice.PhoneAsync("dr-martin", "phone-answers.xml");
        var patient = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, "+33640000101", holdMs: 7000);

        var results = await Sipp.AllSucceedAsync(patient, secretary, doctor);

        Assert.That(results[2].Received("INVITE"), Does.Match(@"(?m)^From:.*\+33640000101"), "the doctor's phone shows the patient's number");
        Assert.That(results[1].ReceivedAll("NOTIFY").Last(), Does.Contain("SIP/2.0 200"), "the secretary's phone is told the transfer succeeded");
        Assert.That(results[2].Received("BYE"), Is.Not.Null, "the patient's hang-up ends the doctor's call");
        var record = await practice.RecordOfAsync("+33640000101");
        Assert.Multiple(() =>
        {
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Answered), Describe(record));
            Assert.That(record.AnsweredBy, Is.EqualTo("accueil-1"), Describe(record));
            Assert.That(record.TransferredTo, Is.EqualTo("dr-martin"), Describe(record));
            Assert.That(record.Steps.Single(s => s.Kind == CallStepKinds.Transferred).Detail, Does.Contain("blind transfer by accueil-1"), Describe(record));
            Assert.That(record.HungUpBy, Is.EqualTo("caller"), Describe(record));
        });
    }

    [Test]
    public async Task AttendedTransfer_AfterAConsultationCallToTheDoctor_ConnectsThePatientToTheDoctor_AndTheRecordSaysSo()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var doctor = await practice.PhoneAsync("dr-martin", "phone-answers.xml");
        var (secretary, consultation) = await practice.PhoneTwoLinesAsync("accueil-1", "secretary-attended-transfer.xml",
            "secretary-consults-doctor.xml", ToDrMartin);
        var patient = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, "+33640000104", holdMs: 15000);

        var together = await PatientAndDoctorBridgedAsync(practice, "+33640000104");
        var results = await Sipp.AllSucceedAsync(patient, secretary, consultation, doctor);

        Assert.That(together, Is.True, "while the patient is still on the line, a bridge of Asterisk holds the patient and Dr Martin's phone only");
        Assert.That(results[1].ReceivedAll("NOTIFY").Last(), Does.Contain("SIP/2.0 200"), "the secretary's phone is told the transfer succeeded");
        Assert.That(results[1].Received("BYE"), Is.Not.Null, "the secretary's line with the patient is released");
        Assert.That(results[2].Received("BYE"), Is.Not.Null, "the secretary's consultation line is released");
        Assert.That(results[3].Received("BYE"), Is.Not.Null, "the patient's hang-up ends the doctor's call");
        var record = await practice.RecordOfAsync("+33640000104");
        Assert.Multiple(() =>
        {
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Answered), Describe(record));
            Assert.That(record.AnsweredBy, Is.EqualTo("accueil-1"), Describe(record));
            Assert.That(record.TransferredTo, Is.EqualTo("dr-martin"), Describe(record));
            Assert.That(record.Steps.Single(s => s.Kind == CallStepKinds.Transferred).Detail, Does.Contain("attended transfer by accueil-1"), Describe(record));
            Assert.That(record.Steps.Count(s => s.Kind == CallStepKinds.TransferFailed), Is.Zero, Describe(record));
            Assert.That(record.HungUpBy, Is.EqualTo("caller"), Describe(record));
        });
        var consulted = await practice.Engine.WaitForRecordAsync((await practice.Engine.WaitForCallAsync(c => c.CalledNumber == "201")).CallId);
        Assert.Multiple(() =>
        {
            Assert.That((consulted.Outcome, consulted.AnsweredBy), Is.EqualTo((CallOutcomes.Answered, "dr-martin")), Describe(consulted));
            Assert.That(consulted.TransferredTo, Is.EqualTo("dr-martin"), "the consultation's record says its conversation was handed over: " + Describe(consulted));
        });
    }

    [Test]
    public async Task BlindTransfer_ToABusyDoctor_ReturnsThePatientToTheSecretary()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var secretary = await practice.PhoneAsync("accueil-1", "secretary-transfers.xml", ToDrMartin);
        var doctor = await practice.PhoneAsync("dr-martin", "doctor-busy.xml");
        var patient = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, "+33640000102", holdMs: 7000);

        var results = await Sipp.AllSucceedAsync(patient, secretary, doctor);

        Assert.That(results[1].ReceivedAll("NOTIFY").Last(), Does.Contain("SIP/2.0 603").Or.Contain("SIP/2.0 503"),
            "the secretary's phone is told the transfer failed");
        Assert.That(results[1].Received("BYE"), Is.Not.Null, "the secretary kept the patient until the patient hung up");
        var record = await practice.RecordOfAsync("+33640000102");
        Assert.Multiple(() =>
        {
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Answered), Describe(record));
            Assert.That(record.AnsweredBy, Is.EqualTo("accueil-1"), Describe(record));
            Assert.That(record.TransferredTo, Is.Null, Describe(record));
            Assert.That(record.Steps.Single(s => s.Kind == CallStepKinds.TransferFailed).Detail,
                Does.Contain("BUSY").And.Contain("stays with accueil-1"), Describe(record));
            Assert.That(record.HungUpBy, Is.EqualTo("caller"), Describe(record));
        });
    }

    [Test]
    public async Task BlindTransfer_ToAnUnknownExtension_IsRefused_AndThePatientStaysWithTheSecretary()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var secretary = await practice.PhoneAsync("accueil-1", "secretary-transfers.xml", new Dictionary<string, string> { ["target"] = "999" });
        var patient = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, "+33640000103", holdMs: 6000);

        var results = await Sipp.AllSucceedAsync(patient, secretary);

        Assert.That(results[1].ReceivedAll("NOTIFY").Last(), Does.Match(@"SIP/2\.0 5\d\d"), "the secretary's phone is told the transfer failed");
        var record = await practice.RecordOfAsync("+33640000103");
        Assert.Multiple(() =>
        {
            Assert.That(record.Steps.Single(s => s.Kind == CallStepKinds.TransferFailed).Detail, Does.Contain("'999'"), Describe(record));
            Assert.That(record.Steps.Count(s => s.Kind == CallStepKinds.Ringing && s.Target == "dr-martin"), Is.Zero, Describe(record));
            Assert.That((record.AnsweredBy, record.HungUpBy), Is.EqualTo(("accueil-1", "caller")), Describe(record));
        });
    }

    /// <summary>
    /// Looks at Asterisk's bridges until one holds exactly the patient's channel (by caller number) and a channel of Dr Martin's
    /// phone; false when the patient's call ended first.
    /// </summary>
    private static async Task<bool> PatientAndDoctorBridgedAsync(PracticeCalls practice, string patientNumber)
    {
        var ari = practice.Engine.Ari;
        var seenPatient = false;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (!limit.IsCancellationRequested)
        {
            // Asterisk may list a channel twice while the attended transfer swaps the doctor's leg in: the last one wins.
            var channels = (await ari.Channels.ListAsync()).GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.Last());
            var patient = channels.Values.FirstOrDefault(c => c.Caller.Number == patientNumber && !c.Name.StartsWith("PJSIP/tilleuls.", StringComparison.Ordinal));
            if (patient is null && seenPatient) return false;
            seenPatient |= patient is not null;
            foreach (var bridge in patient is null ? [] : await ari.Bridges.ListAsync())
            {
                if (bridge.Channels.Count == 2 && bridge.Channels.Contains(patient!.Id)
                    && bridge.Channels.Any(id => channels.TryGetValue(id, out var c) && c.Name.StartsWith("PJSIP/tilleuls.dr-martin-", StringComparison.Ordinal)))
                    return true;
            }
            await Task.Delay(200);
        }
        return false;
    }
}
