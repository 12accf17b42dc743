using Microsoft.Extensions.Time.Testing;
using PbxRouter.Ari;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Flows.Pickup;
using PbxRouter.Calls.Flows.Reception;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Flows.Pickup;

/// <summary>The patient's side of call pickup: the queue rings accueil-1 (which never answers) when Dr Martin's phone dials *8.</summary>
[TestFixture]
public sealed class PickupWhileRingingTests
{
    private const string Picker = "picker-1";
    private static readonly Queue Reception = new("tilleuls", ["accueil-1"], QueueStrategy.RingAll, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30), 3,
        null, "default", null, false, "open");

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-24T09:00:00Z"));

    [Test]
    public async Task Pickup_WhileTheQueueRings_StopsTheRingingPhone_AndConnectsThePhoneThatDialledTheCode()
    {
        await using var test = TestCall.On(_time);
        await test.Records.StartCallAsync(new CallRecordStart(TestCall.PatientId, _time.GetUtcNow(), "tilleuls", "+33145000000", null, 1));
        LegsEnterStasis(test);
        var board = new QueueBoard(_time);
        var run = new QueueStep(board).RunAsync(test.Call, Reception, CancellationToken.None);
        var ringing = await RingingAsync(board);

        var request = new PickupRequested(TestCall.PatientId, PickerChannel(), "dr-martin");
        Assert.That(board.Ringing.TryRequest(request), Is.True);
        var result = await run;

        Assert.That(result, Is.EqualTo(new StepOutcome.Connected(Picker, "dr-martin", CallOutcomes.Answered)));
        Assert.That(await request.Taken, Is.True, "the phone's own call is told it was taken (it then leaves the channel up)");
        await test.Records.FlushAsync();
        var record = await new CallRecordRepository(test.Db, TimeProvider.System).GetAsync(TestCall.PatientId);
        Assert.Multiple(() =>
        {
            Assert.That(ringing.Phones, Is.EqualTo(new[] { "accueil-1" }));
            Assert.That(test.Fake.Matching(@"^DELETE channels/patient-1-member-\d+\?reason=answered_elsewhere"), Has.Count.EqualTo(1), "accueil-1 stops ringing");
            Assert.That(test.Fake.Matching($"^POST channels/{Picker}/answer"), Has.Count.EqualTo(1), "the phone that dialled *8 is answered");
            Assert.That(test.Fake.Matching($@"^POST bridges/[^/]+/addChannel\?channel=patient-1,{Picker}"), Has.Count.EqualTo(1), "bridged with the patient");
            Assert.That(test.Fake.Matching($@"^POST channels/{Picker}/variable\?variable=PJSIP_TRANSFER_HANDLING\(\)&value=ari-only"), Has.Count.EqualTo(1),
                "its transfer key comes to the engine, like a reception leg's");
            Assert.That(test.Call.Legs.Contains(Picker), "its events are the patient call's from now on");
            Assert.That(test.Fake.Matching($@"^POST channels/{Picker}/variable\?variable=PBXROUTER_(LEG&value=PhoneLeg|CALL&value=patient-1|WHO&value=dr-martin)$"),
                Has.Count.EqualTo(3), "marked as the call's leg, as a restarted engine reads it");
            Assert.That(board.Ringing.Now, Is.Empty, "no longer ringing: nothing more to pick up");
            Assert.That(record!.Steps.Single(s => s.Kind == CallStepKinds.Answered).Target, Is.EqualTo("dr-martin"));
            Assert.That(record.Steps.Single(s => s.Kind == CallStepKinds.Answered).Detail, Is.EqualTo("tilleuls: picked up with *8 while accueil-1 rang"));
        });
    }

    [Test]
    public async Task Pickup_ByAPhoneThatHungUpMeanwhile_IsNotTaken_AndThePhoneGoesOnRinging()
    {
        await using var test = TestCall.On(_time);
        LegsEnterStasis(test);
        test.Fake.Failures.Add(($"^POST channels/{Picker}/answer", 404));
        var board = new QueueBoard(_time);
        var run = new QueueStep(board).RunAsync(test.Call, Reception, CancellationToken.None);
        await RingingAsync(board);

        var request = new PickupRequested(TestCall.PatientId, PickerChannel(), "dr-martin");
        Assert.That(board.Ringing.TryRequest(request), Is.True);
        Assert.That(await request.Taken, Is.False);
        Assert.Multiple(() =>
        {
            Assert.That(test.Fake.Matching("answered_elsewhere"), Is.Empty, "accueil-1 still rings");
            Assert.That(test.Call.Legs.Contains(Picker), Is.False, "the gone phone is not the call's");
            Assert.That(board.Ringing.Now, Has.Count.EqualTo(1), "another phone may still pick it up");
        });
        test.Call.Deliver(Events.Hangup(TestCall.PatientId));
        Assert.That(await run, Is.InstanceOf<StepOutcome.CallerGone>());
    }

    [Test]
    public async Task WhenTheRingingStops_ItIsNoLongerOffered_AndALateRequestIsRefused()
    {
        await using var test = TestCall.On(_time);
        LegsEnterStasis(test);
        var board = new QueueBoard(_time);
        var run = new QueueStep(board).RunAsync(test.Call, Reception, CancellationToken.None);
        await RingingAsync(board);

        test.Call.Deliver(Events.Hangup(TestCall.PatientId));
        await run;

        Assert.That(board.Ringing.Now, Is.Empty);
        Assert.That(board.Ringing.TryRequest(new PickupRequested(TestCall.PatientId, PickerChannel(), "dr-martin")), Is.False);
    }

    private static Channel PickerChannel() => new() { Id = Picker, Name = "PJSIP/tilleuls.dr-martin-00000009", State = "Ring" };

    /// <summary>Asterisk's side: a created leg enters Stasis; nobody answers.</summary>
    private static void LegsEnterStasis(TestCall test) =>
        test.Fake.On("^POST channels/create", line => test.Call.Deliver(new PbxRouter.Ari.Events.StasisStart
            { Type = "StasisStart", Channel = Events.Ch(Events.Param(line, "channelId"), "Down") }));

    /// <summary>Waits (real time, bounded) until the call rings its member; the fake clock does not move meanwhile.</summary>
    private static async Task<RingingCall> RingingAsync(QueueBoard board)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (board.Ringing.Now.Count == 0)
        {
            if (limit.IsCancellationRequested) Assert.Fail("the queue never rang accueil-1");
            await Task.Delay(5);
        }
        return board.Ringing.Now.Single();
    }
}
