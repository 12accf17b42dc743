using PbxRouter.Ari.Events;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Store;
using static PbxRouter.Calls.Tests.Flows.Transfers.TransferCall;

namespace PbxRouter.Calls.Tests.Flows.Transfers;

[TestFixture]
public sealed class CallTransferTests
{
    [Test]
    public async Task BlindRefer_ToTheDoctorsExtension_RingsItsPhone_BridgesThePatientWithIt_AndReleasesTheSecretary()
    {
        await using var call = new TransferCall();
        call.Fake.On("^POST channels/[^/]+-transfer-[0-9]+/dial", line => call.Call.Deliver(Events.Dial(Events.ChannelOf(line), "ANSWER")));
        await call.ConnectedAsync();

        call.BlindRefer("201");
        await call.UntilAsync(() => call.Requested($"^DELETE channels/{Secretary}"));
        var record = await call.HangUpAsync();

        var create = call.Fake.Matching("^POST channels/create").Single();
        Assert.Multiple(() =>
        {
            Assert.That(create, Does.Contain("endpoint=PJSIP/tilleuls.dr-martin"));
            Assert.That(call.Fake.Bodies[create], Does.Contain("\"PJSIP_TRANSFER_HANDLING()\":\"ari-only\""), "the doctor may transfer onward too");
            Assert.That(call.Requested($@"^POST bridges/{Bridge}/addChannel\?channel=caller-1-transfer-\d+$"), "the doctor joins the patient's bridge");
            Assert.That(call.Requested($"^POST channels/{Secretary}/transfer_progress\\?states=channel_answered"), "NOTIFY 200 to the secretary's phone");
            Assert.That(record.AnsweredBy, Is.EqualTo("accueil-1"));
            Assert.That(record.TransferredTo, Is.EqualTo("dr-martin"));
            Assert.That(record.Steps.Single(s => s.Kind == CallStepKinds.Transferred).Detail, Does.Contain("blind transfer by accueil-1"));
            Assert.That(call.Fake.Matching("variable=PBXROUTER_STATE").Last(), Does.Contain("\"answered_by\":\"dr-martin\"").And.Contain("\"first_answered_by\":\"accueil-1\""),
                "a restarted engine keeps the new conversation");
            Assert.That(call.Requested($@"^DELETE channels/caller-1-transfer-\d+"), "the patient's hang-up ends the doctor's leg");
        });
    }

    [Test]
    public async Task BlindRefer_ToABusyDoctor_KeepsThePatientWithTheSecretary()
    {
        await using var call = new TransferCall();
        // A 486 ends the leg (cause 17) before the Dial event.
        call.Fake.On("^POST channels/[^/]+-transfer-[0-9]+/dial", line =>
            call.Call.Deliver(new ChannelHangupRequest { Type = "ChannelHangupRequest", Channel = Events.Ch(Events.ChannelOf(line)), Cause = 17 }));
        await call.ConnectedAsync();

        call.BlindRefer("dr-martin");
        await call.UntilAsync(() => call.Requested("transfer_progress"));
        // Asterisk sends the event back with the state reported: not a new transfer.
        call.Call.Deliver(new ChannelTransfer
        {
            Type = "ChannelTransfer", State = "channel_declined",
            ReferTo = new ReferTo { RequestedDestination = new RequiredDestination { Destination = "dr-martin" } },
            ReferredBy = new ReferredBy { SourceChannel = Events.Ch(Secretary) },
        });
        var record = await call.HangUpAsync();

        Assert.Multiple(() =>
        {
            Assert.That(call.Fake.Matching("transfer_progress").Single(), Does.Contain($"channels/{Secretary}/transfer_progress?states=channel_declined"));
            Assert.That(call.Fake.Matching("^POST channels/create"), Has.Count.EqualTo(1), "one transfer, one ring");
            Assert.That(record.TransferredTo, Is.Null);
            Assert.That(record.Steps.Single(s => s.Kind == CallStepKinds.TransferFailed).Detail, Does.Contain("BUSY").And.Contain("stays with accueil-1"));
            Assert.That(record.HungUpBy, Is.EqualTo("caller"), "the patient talked with the secretary until they hung up");
        });
    }

    [Test]
    public async Task BlindRefer_ToAnotherPracticesExtension_IsRefused_AndNothingRings()
    {
        await using var call = new TransferCall();
        await call.ConnectedAsync();

        call.BlindRefer("301");
        await call.UntilAsync(() => call.Requested("transfer_progress"));
        var record = await call.HangUpAsync();

        Assert.Multiple(() =>
        {
            Assert.That(call.Fake.Matching("^POST channels/create"), Is.Empty);
            Assert.That(call.Requested($"^POST channels/{Secretary}/transfer_progress\\?states=channel_unavailable"));
            Assert.That(record.Steps.Single(s => s.Kind == CallStepKinds.TransferFailed).Detail, Does.Contain("no phone of tilleuls"));
        });
    }

    [Test]
    public async Task BlindRefer_WhenTheSecretaryHungUpAndTheDoctorDoesNotAnswer_SendsThePatientBackToTheReception()
    {
        await using var call = new TransferCall();
        // A truly blind phone hangs up once its REFER is accepted; the doctor's phone then never answers.
        call.Fake.On("^POST channels/[^/]+-transfer-[0-9]+/dial", line =>
        {
            call.Call.Deliver(Events.Hangup(Secretary));
            call.Call.Deliver(Events.Dial(Events.ChannelOf(line), "NOANSWER"));
        });
        await call.ConnectedAsync();

        call.BlindRefer("201");
        await call.UntilAsync(() => call.Reception.Runs == 2);
        var record = await call.HangUpAsync();

        Assert.Multiple(() =>
        {
            Assert.That(call.Fake.Matching("transfer_progress"), Is.Empty, "nobody left to tell");
            Assert.That(record.Steps.Single(s => s.Kind == CallStepKinds.TransferFailed).Detail, Does.Contain("back to the plan"));
            Assert.That(record.Steps.Count(s => s.Kind == CallStepKinds.HungUp), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task AttendedRefer_TheConsultationCallsDoctorLegJoinsThePatient_AndTheSecretarysTwoCallsEnd()
    {
        await using var call = new TransferCall();
        await call.ConnectedAsync();

        call.Call.Deliver(new ChannelTransfer
        {
            Type = "ChannelTransfer",
            ReferTo = new ReferTo
            {
                RequestedDestination = new RequiredDestination { ProtocolId = "consult-call-id" },
                DestinationChannel = Events.Ch("consult-1"),
                ConnectedChannel = new PbxRouter.Ari.Channel { Id = "doctor-1", Name = "PJSIP/tilleuls.dr-martin-00000007", State = "Up" },
                Bridge = new PbxRouter.Ari.Bridge { Id = "consult-bridge" },
            },
            ReferredBy = new ReferredBy { SourceChannel = Events.Ch(Secretary), ConnectedChannel = Events.Ch(Caller) },
        });
        await call.UntilAsync(() => call.Requested("^DELETE channels/consult-1"));
        var record = await call.HangUpAsync();

        Assert.Multiple(() =>
        {
            Assert.That(call.Handover.Released, Is.EqualTo(new[] { "doctor-1->caller-1" }), "the consultation call lets the doctor's leg go");
            Assert.That(call.Requested("^POST bridges/consult-bridge/removeChannel\\?channel=doctor-1"));
            Assert.That(call.Requested($"^POST bridges/{Bridge}/addChannel\\?channel=doctor-1"));
            Assert.That(call.Requested($"^POST channels/{Secretary}/transfer_progress\\?states=channel_answered"));
            Assert.That(call.Requested($"^DELETE channels/{Secretary}"));
            Assert.That(record.TransferredTo, Is.EqualTo("dr-martin"));
            Assert.That(record.Steps.Single(s => s.Kind == CallStepKinds.Transferred).Detail, Does.Contain("attended transfer by accueil-1"));
            Assert.That(call.Requested("^DELETE channels/doctor-1"), "the patient's hang-up ends the doctor's leg, now the patient's call's");
        });
    }

    [Test]
    public async Task AttendedRefer_ToAnotherPracticesPhone_IsDeclined()
    {
        await using var call = new TransferCall();
        await call.ConnectedAsync();

        call.Call.Deliver(new ChannelTransfer
        {
            Type = "ChannelTransfer",
            ReferTo = new ReferTo
            {
                RequestedDestination = new RequiredDestination { ProtocolId = "consult-call-id" },
                DestinationChannel = Events.Ch("consult-1"),
                ConnectedChannel = new PbxRouter.Ari.Channel { Id = "doctor-x", Name = "PJSIP/autre.dr-x-00000009", State = "Up" },
            },
            ReferredBy = new ReferredBy { SourceChannel = Events.Ch(Secretary) },
        });
        await call.UntilAsync(() => call.Requested("transfer_progress"));
        var record = await call.HangUpAsync();

        Assert.Multiple(() =>
        {
            Assert.That(call.Handover.Released, Is.Empty);
            Assert.That(call.Requested($"^POST channels/{Secretary}/transfer_progress\\?states=channel_declined"));
            Assert.That(call.Requested("addChannel\\?channel=doctor-x"), Is.False);
            Assert.That(record.TransferredTo, Is.Null);
        });
    }

    [Test]
    public async Task AttendedRefer_NamingACallAsteriskDoesNotKnow_IsRefused_AndThePatientStaysWithTheSecretary()
    {
        await using var call = new TransferCall();
        await call.ConnectedAsync();

        // What Asterisk sends when the Replaces names no dialog of its own (res_pjsip_refer.c): the Call-ID, no channel.
        call.Call.Deliver(new ChannelTransfer
        {
            Type = "ChannelTransfer",
            ReferTo = new ReferTo { RequestedDestination = new RequiredDestination { ProtocolId = "unknown-call-id", Destination = "201" } },
            ReferredBy = new ReferredBy { SourceChannel = Events.Ch(Secretary) },
        });
        await call.UntilAsync(() => call.Requested("transfer_progress"));
        var record = await call.HangUpAsync();

        Assert.Multiple(() =>
        {
            Assert.That(call.Requested($"^POST channels/{Secretary}/transfer_progress\\?states=channel_unavailable"), "NOTIFY 503");
            Assert.That(call.Requested("^POST channels/create"), Is.False, "not taken for a blind transfer to 201");
            Assert.That(record.AnsweredBy, Is.EqualTo("accueil-1"));
            Assert.That(record.TransferredTo, Is.Null);
            Assert.That(record.Steps.Single(s => s.Kind == CallStepKinds.TransferFailed).Detail, Does.Contain("not a call of this Asterisk"));
        });
    }
}
