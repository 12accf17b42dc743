using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Flows.Reception;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Flows.Reception;

/// <summary>How the reception phones show the patient when the queue rings them.</summary>
[TestFixture]
public sealed class MemberRingingTests
{
    private static readonly Queue Reception = new("tilleuls", ["accueil-1"], QueueStrategy.RingAll, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), 3,
        null, "default", null, false, "open");

    [Test]
    public async Task Ring_PresentedPatient_DialsThePhoneWithThePatientAsCaller()
    {
        await using var test = TestCall.With(Reception);
        PhoneAnswers(test);

        var result = await new QueueStep(new QueueBoard(TimeProvider.System)).RunAsync(test.Call, Reception, CancellationToken.None);

        Assert.That(result, Is.InstanceOf<StepOutcome.Connected>());
        Assert.That(test.Fake.Matching(@"^POST channels/patient-1-member-\d+/dial\?caller=patient-1&"), Has.Count.EqualTo(1), "caller= copies the patient's caller ID");
    }

    [Test]
    public async Task Ring_WithheldPatient_ShowsTheConnectedLineAsWithheldAndDoesNotCopyTheCallerId()
    {
        await using var test = TestCall.Withheld(Reception);
        PhoneAnswers(test);

        var result = await new QueueStep(new QueueBoard(TimeProvider.System)).RunAsync(test.Call, Reception, CancellationToken.None);

        Assert.That(result, Is.InstanceOf<StepOutcome.Connected>());
        var create = test.Fake.Matching("^POST channels/create").Single();
        var variables = System.Text.Json.JsonDocument.Parse(test.Fake.Bodies[create]).RootElement.GetProperty("variables");
        Assert.Multiple(() =>
        {
            Assert.That(variables.GetProperty("CONNECTEDLINE(pres)").GetString(), Is.EqualTo("prohib"));
            Assert.That(variables.GetProperty("CONNECTEDLINE(name)").GetString(), Is.Empty, "no name, and never the number as a name");
            Assert.That(test.Fake.Matching(@"/dial\?caller="), Is.Empty, "no caller= copy of the patient's caller ID");
        });
    }

    [Test]
    public async Task Ring_PatientHangsUpBeforeTheLegEntersStasis_RecordsTheHangUpNotALegThatFailedToStart()
    {
        await using var test = TestCall.With(Reception);
        await test.Records.StartCallAsync(new CallRecordStart(TestCall.PatientId, DateTimeOffset.UtcNow, "tilleuls", "+33145000000", null, 1));
        test.Fake.On("^POST channels/create", _ => test.Call.Deliver(Events.Hangup(TestCall.PatientId)));

        var result = await new QueueStep(new QueueBoard(TimeProvider.System)).RunAsync(test.Call, Reception, CancellationToken.None);

        Assert.That(result, Is.InstanceOf<StepOutcome.CallerGone>());
        await test.Records.FlushAsync();
        var record = await new CallRecordRepository(test.Db, TimeProvider.System).GetAsync(TestCall.PatientId);
        Assert.That(record!.Steps.Where(s => s.Kind == CallStepKinds.Unanswered).Select(s => s.Detail),
            Is.EqualTo(new[] { "tilleuls: the caller hung up before the leg entered Stasis" }));
    }

    /// <summary>Asterisk's side: a created leg enters Stasis; a dialled phone answers.</summary>
    private static void PhoneAnswers(TestCall test)
    {
        test.Fake.On("^POST channels/create", line => test.Call.Deliver(new PbxRouter.Ari.Events.StasisStart
            { Type = "StasisStart", Channel = Events.Ch(Events.Param(line, "channelId"), "Down") }));
        test.Fake.On("^POST channels/[^/]+/dial", line => test.Call.Deliver(Events.Dial(Events.ChannelOf(line), "ANSWER")));
    }
}
