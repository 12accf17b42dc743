using Microsoft.Extensions.Time.Testing;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Flows.Reception;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Flows.Reception;

/// <summary>A caller waiting in the queue while every member is busy: the members' states, read once, then kept by ARI's endpoint events.</summary>
[TestFixture]
public sealed class QueueWaitTests
{
    private static readonly string[] Members = ["accueil-1", "accueil-2"];
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-24T09:00:00Z"));

    [Test]
    public async Task DtmfFlood_WhileWaiting_TheMembersStatesAreReadOnce_NeverPolled()
    {
        await using var test = TestCall.On(_time);
        MembersBusy(test);
        var run = new QueueStep(new QueueBoard(_time)).RunAsync(test.Call, Queue(), CancellationToken.None);
        await UntilAsync(() => EndpointReads(test) == 4 && Subscriptions(test).Count == 2, "each member: read, its endpoint's events subscribed, read again");

        await FloodAsync(test, 2000);
        _time.Advance(TimeSpan.FromSeconds(1));
        await FloodAsync(test, 200);
        _time.Advance(TimeSpan.FromSeconds(1));
        test.Call.Deliver(Events.Dtmf(TestCall.PatientId, "9"));

        Assert.That(await run.WaitAsync(TimeSpan.FromSeconds(10)), Is.InstanceOf<StepOutcome.Urgent>(), "the urgent key still works");
        Assert.Multiple(() =>
        {
            Assert.That(EndpointReads(test), Is.EqualTo(4), "2200 digits and two 1 s checks later: the states come from memory");
            Assert.That(Subscriptions(test), Is.EqualTo(new[]
            {
                "POST applications/pbxrouter/subscription?eventSource=deviceState:PJSIP/tilleuls.accueil-1",
                "POST applications/pbxrouter/subscription?eventSource=deviceState:PJSIP/tilleuls.accueil-2",
            }));
            Assert.That(test.Call.Dtmf, Is.EqualTo((2201L, 0L)), "delivered in chunks the flow keeps up with: nothing dropped");
        });
    }

    [Test]
    public async Task AMemberFreed_ByItsEndpointEvent_IsRungAtOnce_WithoutAnotherRead()
    {
        await using var test = TestCall.On(_time);
        MembersBusy(test);
        var board = new QueueBoard(_time);
        var run = new QueueStep(board).RunAsync(test.Call, Queue(), CancellationToken.None);
        await UntilAsync(() => EndpointReads(test) == 4, "the members' states read once");
        await FloodAsync(test, 10);
        Assert.That(Rung(test), Is.Empty, "both members are on a call");

        // accueil-2 hangs up its other call: Asterisk sends the phone's new device state. The fake clock does not move, so
        // only the wake-up from the event can make the waiting caller look again.
        board.MembersOn(test.Call.Ari).OnEvent(Device(PjsipConfig.PhoneEndpoint("tilleuls", "accueil-2"), "NOT_INUSE"));
        await UntilAsync(() => Rung(test).Count == 1, "the queue rings the member just freed");

        Assert.That(Rung(test).Single(), Does.Contain("endpoint=PJSIP/tilleuls.accueil-2"));
        Assert.That(EndpointReads(test), Is.EqualTo(4), "no REST read: the event said it");
        test.Call.Deliver(Events.Hangup(TestCall.PatientId));
        Assert.That(await run.WaitAsync(TimeSpan.FromSeconds(10)), Is.InstanceOf<StepOutcome.CallerGone>());
    }

    [Test]
    public async Task AfterTheEventConnectionChanges_TheStatesAreReadAgain()
    {
        await using var test = TestCall.On(_time);
        using var states = new MemberStates(test.Call.Ari);
        var endpoint = PjsipConfig.PhoneEndpoint("tilleuls", "accueil-1");
        test.Fake.Endpoints[$"PJSIP/{endpoint}"] = ("online", []);
        Assert.That(await states.GetAsync(endpoint, CancellationToken.None), Is.EqualTo(new MemberState(true, 0)));

        test.Fake.Endpoints[$"PJSIP/{endpoint}"] = ("online", ["PJSIP/tilleuls.accueil-1-00000001"]);
        Assert.That(await states.GetAsync(endpoint, CancellationToken.None), Is.EqualTo(new MemberState(true, 0)), "kept in memory");
        states.Forget(); // what a lost or restored event connection does: events may have been missed meanwhile

        Assert.That(await states.GetAsync(endpoint, CancellationToken.None), Is.EqualTo(new MemberState(true, 1)));
        Assert.That(states.Reads, Is.EqualTo(4));
    }

    [Test]
    public async Task AMemberWhoAnswered_IsBusyAtOnce_UntilItsEndpointSaysOtherwise()
    {
        await using var test = TestCall.On(_time);
        using var states = new MemberStates(test.Call.Ari);
        var endpoint = PjsipConfig.PhoneEndpoint("tilleuls", "accueil-1");
        test.Fake.Endpoints[$"PJSIP/{endpoint}"] = ("online", []);
        Assert.That(await states.GetAsync(endpoint, CancellationToken.None), Is.EqualTo(new MemberState(true, 0)));

        // Answered a patient: the event of its new channel may still be on its way.
        states.Answered(endpoint);
        Assert.That(await states.GetAsync(endpoint, CancellationToken.None), Is.EqualTo(new MemberState(true, 1)));

        // The conversation ends: the phone's device state is back to not in use.
        states.OnEvent(Device(endpoint, "NOT_INUSE"));
        Assert.That(await states.GetAsync(endpoint, CancellationToken.None), Is.EqualTo(new MemberState(true, 0)));
        Assert.That(states.Reads, Is.EqualTo(2), "read once (before and after subscribing), then events only");
    }

    [Test]
    public async Task ADeviceStateEvent_OfAPhoneNoQueueAskedFor_IsIgnored()
    {
        await using var test = TestCall.On(_time);
        using var states = new MemberStates(test.Call.Ari);
        var freed = 0;
        states.MemberFreed += () => freed++;
        test.Fake.Endpoints["PJSIP/tilleuls.dr-martin"] = ("online", ["PJSIP/tilleuls.dr-martin-00000002"]);

        states.OnEvent(Device("tilleuls.dr-martin", "NOT_INUSE"));

        Assert.That(freed, Is.Zero);
        Assert.That(await states.GetAsync("tilleuls.dr-martin", CancellationToken.None), Is.EqualTo(new MemberState(true, 1)), "read on first use");
    }

    [Test]
    public async Task MemberStateUnknown_Ari500_TheQueueSaysSoAndTheCallGoesToTheNextStep()
    {
        await using var test = TestCall.On(_time);
        await test.Records.StartCallAsync(new CallRecordStart(TestCall.PatientId, _time.GetUtcNow(), "tilleuls", "+33145000000", null, 1));
        MembersBusy(test);
        test.Fake.Failures.Add(("^GET endpoints/", 500));

        var result = await new QueueStep(new QueueBoard(_time)).RunAsync(test.Call, Queue(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(result, Is.InstanceOf<StepOutcome.Next>(), "the plan's next step (overflow) takes the caller");
        await test.Records.FlushAsync();
        var record = await new CallRecordRepository(test.Db, TimeProvider.System).GetAsync(TestCall.PatientId);
        Assert.That(record!.Steps.Single().Kind, Is.EqualTo(CallStepKinds.Unanswered));
        Assert.That(record.Steps.Single().Detail, Does.StartWith("no member available (state unknown: ").And.Contain("(500)"));
    }

    private static Queue Queue() => new("tilleuls", Members, QueueStrategy.RingAll, TimeSpan.FromSeconds(4), TimeSpan.FromMinutes(5), 3, null,
        "default", "9", false, "open");

    private static void MembersBusy(TestCall test)
    {
        foreach (var member in Members)
            test.Fake.Endpoints[$"PJSIP/{PjsipConfig.PhoneEndpoint("tilleuls", member)}"] = ("online", [$"PJSIP/{member}-busy"]);
    }

    private static int EndpointReads(TestCall test) => test.Fake.Matching("^GET endpoints/").Count;

    private static List<string> Rung(TestCall test) => test.Fake.Matching("^POST channels/create");

    private static List<string> Subscriptions(TestCall test) => test.Fake.Matching("^POST applications/pbxrouter/subscription");

    /// <summary>Delivers <paramref name="digits"/> DTMF events in chunks, waiting after each until the flow has read them.</summary>
    private static async Task FloodAsync(TestCall test, int digits)
    {
        for (var sent = 0; sent < digits; sent += 200)
        {
            for (var i = 0; i < Math.Min(200, digits - sent); i++) test.Call.Deliver(Events.Dtmf(TestCall.PatientId, "1"));
            await UntilAsync(() => test.Call.PendingEvents == 0, "the flow read the digits");
        }
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (limit.IsCancellationRequested) Assert.Fail($"timed out waiting for: {what}");
            await Task.Delay(5);
        }
    }

    [TestCase("NOT_INUSE", true, 0)]
    [TestCase("INUSE", true, 1)]
    [TestCase("BUSY", true, 1)]
    [TestCase("RINGING", true, 1)]
    [TestCase("RINGINUSE", true, 1)]
    [TestCase("ONHOLD", true, 1)]
    [TestCase("UNAVAILABLE", false, 0)]
    [TestCase("INVALID", false, 0)]
    [TestCase("UNKNOWN", false, 0)]
    public void ADevicesState_SaysWhetherThePhoneIsRegisteredAndOnACall(string state, bool registered, int calls) =>
        Assert.That(MemberState.Of(new DeviceState { Name = "PJSIP/tilleuls.accueil-1", State = state }), Is.EqualTo(new MemberState(registered, calls)));

    [Test]
    public async Task MembersStates_SubscribeToThePhonesDeviceState_NotToTheirEndpoint_WhoseChannelEventsWouldComeTwice()
    {
        await using var test = TestCall.On(_time);
        using var states = new MemberStates(test.Call.Ari);
        test.Fake.Endpoints["PJSIP/tilleuls.accueil-1"] = ("online", []);

        await states.GetAsync("tilleuls.accueil-1", CancellationToken.None);

        var subscriptions = test.Fake.Matching("^POST applications/").ToList();
        Assert.That(subscriptions, Is.EqualTo(new[] { "POST applications/pbxrouter/subscription?eventSource=deviceState:PJSIP/tilleuls.accueil-1" }));
    }

    private static DeviceStateChanged Device(string endpoint, string state) =>
        new() { Type = "DeviceStateChanged", DeviceState = new DeviceState { Name = $"PJSIP/{endpoint}", State = state } };
}
