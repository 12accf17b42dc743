using Microsoft.Extensions.Time.Testing;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Flows.Reception;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Flows.Reception;

/// <summary>A caller waiting in the queue while every member is busy: what makes the queue ask ARI for the members' state.</summary>
[TestFixture]
public sealed class QueueWaitTests
{
    private static readonly string[] Members = ["accueil-1", "accueil-2"];
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-24T09:00:00Z"));

    [Test]
    public async Task DtmfFlood_WhileWaiting_DoesNotMakeTheQueueRecheckItsMembers()
    {
        await using var test = TestCall.On(_time);
        MembersBusy(test);
        var run = new QueueStep(new QueueBoard(_time)).RunAsync(test.Call, Queue(), CancellationToken.None);
        await UntilAsync(() => EndpointReads(test) == 4, "the check on joining and the first check of the wait");

        await FloodAsync(test, 2000);
        Assert.That(EndpointReads(test), Is.EqualTo(4), "2000 digits, no re-check");
        _time.Advance(TimeSpan.FromSeconds(1));
        await UntilAsync(() => EndpointReads(test) == 6, "one re-check when the 1 s slice elapsed");
        test.Call.Deliver(Events.Dtmf(TestCall.PatientId, "9"));

        Assert.That(await run.WaitAsync(TimeSpan.FromSeconds(10)), Is.InstanceOf<StepOutcome.Urgent>(), "the urgent key still works");
        Assert.That(EndpointReads(test), Is.EqualTo(6));
        Assert.That(test.Call.Dtmf, Is.EqualTo((2001L, 0L)), "delivered in chunks the flow keeps up with: nothing dropped");
    }

    [Test]
    public async Task LineChange_WakesTheWaitingCallerForOneRecheck()
    {
        await using var test = TestCall.On(_time);
        MembersBusy(test);
        var board = new QueueBoard(_time);
        Assert.That(board.For("tilleuls").TryJoin("ahead", 3), Is.True);
        var run = new QueueStep(board).RunAsync(test.Call, Queue(), CancellationToken.None);
        await UntilAsync(() => EndpointReads(test) == 2, "the check on joining (second in line: no more)");

        await FloodAsync(test, 500);
        Assert.That(EndpointReads(test), Is.EqualTo(2));
        board.For("tilleuls").Leave("ahead");
        await UntilAsync(() => EndpointReads(test) == 4, "first in line now: one re-check at once");
        test.Call.Deliver(Events.Hangup(TestCall.PatientId));

        Assert.That(await run.WaitAsync(TimeSpan.FromSeconds(10)), Is.InstanceOf<StepOutcome.CallerGone>());
        Assert.That(EndpointReads(test), Is.EqualTo(4));
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
}
