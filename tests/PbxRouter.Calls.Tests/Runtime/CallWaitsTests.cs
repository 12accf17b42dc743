using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Runtime;
using PbxRouter.Calls.Tests.Support;

namespace PbxRouter.Calls.Tests.Runtime;

[TestFixture]
public sealed class CallWaitsTests
{
    [Test]
    public async Task CreateLeg_EventsArrivingBeforeTheLegEntersStasis_StayForTheFlowsNextRead()
    {
        await using var t = TestCall.With();
        t.Fake.On("^POST channels/create", line =>
        {
            // The position announcement ends and the patient presses the urgent key while the phone's leg starts.
            t.Call.Deliver(Events.PlaybackFinished(TestCall.PatientId, "patient-1-position-1"));
            t.Call.Deliver(Events.Dtmf(TestCall.PatientId, "9"));
            t.Call.Deliver(new StasisStart { Type = "StasisStart", Channel = Events.Ch(Events.Param(line, "channelId"), "Down") });
        });

        var created = await t.Call.CreateLegAsync(new CreateChannelRequest { Endpoint = "PJSIP/accueil-1", ChannelId = "leg-1", AppArgs = "leg" },
            LegKind.PhoneLeg, "accueil-1", CancellationToken.None);

        Assert.That(created, Is.True);
        Assert.That(await t.Call.NextEventAsync(TimeSpan.Zero, CancellationToken.None), Is.InstanceOf<PlaybackFinished>());
        Assert.That(await t.Call.NextEventAsync(TimeSpan.Zero, CancellationToken.None), Is.InstanceOf<ChannelDtmfReceived>());
    }

    [Test]
    public async Task CreateLeg_RegistersTheLegAndWritesItsKindOnTheChannel()
    {
        await using var t = TestCall.With();
        t.Fake.On("^POST channels/create", line =>
            t.Call.Deliver(new StasisStart { Type = "StasisStart", Channel = Events.Ch(Events.Param(line, "channelId"), "Down") }));

        await t.Call.CreateLegAsync(new CreateChannelRequest { Endpoint = "PJSIP/+33567000000@trunk", ChannelId = "leg-7", AppArgs = "leg" },
            LegKind.SecretariatLeg, "servitel", CancellationToken.None);

        var variables = System.Text.Json.JsonDocument.Parse(t.Fake.Bodies[t.Fake.Matching("^POST channels/create").Single()]).RootElement.GetProperty("variables");
        Assert.Multiple(() =>
        {
            Assert.That(t.Call.Legs.All, Is.EqualTo(new[] { new CallLeg("leg-7", LegKind.SecretariatLeg, "servitel") }));
            Assert.That(variables.GetProperty(CallLeg.KindVariable).GetString(), Is.EqualTo("SecretariatLeg"));
            Assert.That(variables.GetProperty(CallLeg.CallVariable).GetString(), Is.EqualTo(TestCall.PatientId));
        });
    }

    [Test]
    public async Task WaitFor_CallerHangsUp_EndsTheWaitAtOnce()
    {
        await using var t = TestCall.With();
        var wait = t.Call.WaitForAsync(e => e is Dial, TimeSpan.FromMinutes(5), CancellationToken.None);

        t.Call.Deliver(Events.Hangup(TestCall.PatientId));

        Assert.That(await wait.WaitAsync(TimeSpan.FromSeconds(10)), Is.Null);
        Assert.That(t.Call.CallerGone, Is.True);
    }

    [TestCase(30, 31)]
    [TestCase(20.5, 22)]
    [TestCase(0, 2)]
    public void DialTimeout_IsNeverZero_AndASecondAfterTheRingTime(double ringSeconds, int expected) =>
        Assert.That(CallWaits.DialTimeout(TimeSpan.FromSeconds(ringSeconds)), Is.EqualTo(expected));
}
