using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari.Events;
using PbxRouter.Ari.Tests.Support;

namespace PbxRouter.Ari.Tests.Queues;

public class CallEventQueuesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private ListLogger _log = null!;

    [SetUp]
    public void SetUp() => _log = new ListLogger();

    [Test]
    public async Task Post_1000EventsOver50Calls_HandlesEachCallInOrder()
    {
        var seen = new ConcurrentDictionary<string, ConcurrentQueue<int>>();
        await using var queues = new CallEventQueues(async (e, _) =>
        {
            var v = (ChannelVarset)e;
            if (int.Parse(v.Value) % 3 == 0) await Task.Yield();
            seen.GetOrAdd(v.Channel!.Id, _ => new()).Enqueue(int.Parse(v.Value));
        }, _log, capacityPerCall: 1000);

        for (int i = 0; i < 1000; i++) queues.Post(Ev.Numbered($"call-{i % 50}", i));
        await queues.DrainAsync().WaitAsync(Timeout);

        Assert.That(seen, Has.Count.EqualTo(50));
        foreach (var (key, order) in seen)
        {
            Assert.That(order, Has.Count.EqualTo(20), key);
            Assert.That(order, Is.Ordered, key);
        }
        Assert.That(queues.Counters, Is.EqualTo(new CallEventQueueCounters(1000, 1000, 0, 0, 0)));
    }

    [Test]
    public async Task Post_BlockedCall_DoesNotDelayOtherCalls()
    {
        var release = new TaskCompletionSource();
        var otherHandled = new TaskCompletionSource();
        await using var queues = new CallEventQueues(async (e, _) =>
        {
            if (e.ChannelIds.First() == "slow") await release.Task;
            else otherHandled.TrySetResult();
        }, _log);

        queues.Post(Ev.Start("slow"));
        queues.Post(Ev.Start("fast"));

        await otherHandled.Task.WaitAsync(Timeout);
        release.SetResult();
        await queues.DrainAsync().WaitAsync(Timeout);
    }

    [Test]
    public async Task Link_OutgoingLegSharesTheCallsQueue()
    {
        var release = new TaskCompletionSource();
        var order = new ConcurrentQueue<string>();
        await using var queues = new CallEventQueues(async (e, _) =>
        {
            if (e is StasisStart) await release.Task;
            order.Enqueue($"{e.Type}:{e.ChannelIds.First()}");
        }, _log);
        queues.Link("leg-1", "patient");

        queues.Post(Ev.Start("patient"));
        queues.Post(Ev.Hangup("leg-1"));
        await Task.Delay(50);
        Assert.That(order, Is.Empty, "the leg's event waits behind the call's event");

        release.SetResult();
        await queues.DrainAsync().WaitAsync(Timeout);
        Assert.That(order, Is.EqualTo(new[] { "StasisStart:patient", "ChannelHangupRequest:leg-1" }));
    }

    [Test]
    public async Task Attach_WhileTheCallsFirstEventIsHandled_PassesWhatWaitedThenEveryLaterEventInOrder()
    {
        var release = new TaskCompletionSource();
        var handled = new ConcurrentQueue<string>();
        var inbox = new ConcurrentQueue<string>();
        CallEventQueues queues = null!;
        queues = new CallEventQueues(async (e, _) =>
        {
            handled.Enqueue($"{e.Type}:{e.ChannelIds.First()}");
            if (e is not StasisStart) return;
            await release.Task;
            queues.Attach("patient", e => inbox.Enqueue($"{e.Type}:{e.ChannelIds.First()}"));
        }, _log);
        await using var _ = queues;
        queues.Link("leg-1", "patient");

        queues.Post(Ev.Start("patient"));
        queues.Post(Ev.Dtmf("patient", "9"));
        queues.Post(Ev.Hangup("leg-1"));
        release.SetResult();
        await queues.DrainAsync().WaitAsync(Timeout);
        queues.Post(Ev.Hangup("patient"));

        Assert.That(handled, Is.EqualTo(new[] { "StasisStart:patient" }), "once attached, the call's events skip the handler");
        Assert.That(inbox, Is.EqualTo(new[] { "ChannelDtmfReceived:patient", "ChannelHangupRequest:leg-1", "ChannelHangupRequest:patient" }));
        Assert.That(queues.Counters.Handled, Is.EqualTo(4));
    }

    [Test]
    public async Task Attach_DtmfFlood_GoesToTheInboxWhichBoundsIt()
    {
        var inbox = new List<AriEvent>();
        await using var queues = new CallEventQueues((_, _) => ValueTask.CompletedTask, _log, capacityPerCall: 2);
        queues.Attach("patient", inbox.Add);

        for (var i = 0; i < 10; i++) queues.Post(Ev.Dtmf("patient"));

        Assert.That(inbox, Has.Count.EqualTo(10));
        Assert.That(queues.Counters.DroppedDtmf, Is.Zero);
    }

    [Test]
    public async Task Complete_AfterAttach_SendsLaterEventsToTheHandlerAgain_AndDrainDoesNotWaitForAttachedCalls()
    {
        var handled = new ConcurrentQueue<string>();
        var inbox = new ConcurrentQueue<string>();
        await using var queues = new CallEventQueues((e, _) =>
        {
            handled.Enqueue(e.Type);
            return ValueTask.CompletedTask;
        }, _log);
        queues.Attach("patient", e => inbox.Enqueue(e.Type));
        queues.Attach("other", e => inbox.Enqueue(e.Type));
        queues.Post(Ev.Dtmf("patient"));
        await queues.DrainAsync().WaitAsync(Timeout);

        queues.Complete("patient");
        queues.Post(Ev.Destroyed("patient"));
        await queues.DrainAsync().WaitAsync(Timeout);

        Assert.That(inbox, Is.EqualTo(new[] { "ChannelDtmfReceived" }));
        Assert.That(handled, Is.EqualTo(new[] { "ChannelDestroyed" }));
        Assert.That(queues.Counters.ActiveQueues, Is.EqualTo(1), "only the attached call still running");
    }

    [Test]
    public void KeyOf_DialWithLinkedPeer_IsTheCall()
    {
        var queues = new CallEventQueues((_, _) => ValueTask.CompletedTask, _log);
        queues.Link("leg-1", "patient");

        Assert.That(queues.KeyOf(new Dial { Peer = Ev.Ch("leg-1") }), Is.EqualTo("patient"));
        Assert.That(queues.KeyOf(new Dial { Caller = Ev.Ch("patient"), Peer = Ev.Ch("leg-2") }), Is.EqualTo("patient"));
        Assert.That(queues.KeyOf(new Dial { Peer = Ev.Ch("leg-2") }), Is.EqualTo("leg-2"));
    }

    [Test]
    public void KeyOf_LinkedBridge_IsTheCall_AndEventsWithoutIdsShareTheGlobalKey()
    {
        var queues = new CallEventQueues((_, _) => ValueTask.CompletedTask, _log);
        queues.Link("bridge-1", "patient");
        var bridgePlayback = new PlaybackFinished { Playback = new Playback { Id = "p", TargetUri = "bridge:bridge-1" } };

        Assert.That(queues.KeyOf(bridgePlayback), Is.EqualTo("patient"));
        Assert.That(queues.KeyOf(new BridgeDestroyed { Bridge = new Bridge { Id = "bridge-1" } }), Is.EqualTo("patient"));
        Assert.That(queues.KeyOf(new DeviceStateChanged { DeviceState = new DeviceState() }), Is.EqualTo(CallEventQueues.GlobalKey));
    }

    [Test]
    public void Complete_And_ChannelDestroyed_RemoveAliases()
    {
        var queues = new CallEventQueues((_, _) => ValueTask.CompletedTask, _log);
        queues.Link("leg-1", "patient");
        queues.Link("leg-2", "patient");

        queues.Post(Ev.Destroyed("leg-1"));
        Assert.That(queues.KeyOf(Ev.Hangup("leg-1")), Is.EqualTo("leg-1"));
        Assert.That(queues.KeyOf(Ev.Hangup("leg-2")), Is.EqualTo("patient"));

        queues.Complete("patient");
        Assert.That(queues.KeyOf(Ev.Hangup("leg-2")), Is.EqualTo("leg-2"));
    }

    [Test]
    public async Task Post_HandlerThrows_LogsCallAndType_AndHandlesTheNextEvent()
    {
        var handled = new ConcurrentQueue<string>();
        await using var queues = new CallEventQueues((e, _) =>
        {
            if (e is StasisStart) throw new InvalidOperationException("boom");
            handled.Enqueue(e.Type);
            return ValueTask.CompletedTask;
        }, _log);

        queues.Post(Ev.Start("c1"));
        queues.Post(Ev.Hangup("c1"));
        await queues.DrainAsync().WaitAsync(Timeout);

        Assert.That(handled, Is.EqualTo(new[] { "ChannelHangupRequest" }));
        Assert.That(queues.Counters.HandlerFailures, Is.EqualTo(1));
        Assert.That(queues.Counters.Handled, Is.EqualTo(2));
        var error = _log.Entries.Single(e => e.Level == LogLevel.Error);
        Assert.That(error.Message, Does.Contain("c1").And.Contain("StasisStart"));
        Assert.That(error.Error, Is.TypeOf<InvalidOperationException>());
    }

    [Test]
    public async Task Post_DtmfFloodOnFullQueue_DropsDtmfOnly_AndLogsOncePerBurst()
    {
        var release = new TaskCompletionSource();
        var handled = new ConcurrentQueue<AriEvent>();
        await using var queues = new CallEventQueues(async (e, _) =>
        {
            if (e is StasisStart) await release.Task;
            handled.Enqueue(e);
        }, _log, capacityPerCall: 4);

        queues.Post(Ev.Start("c1"));
        await Task.Delay(50); // the worker has taken StasisStart and waits: the queue is empty
        for (int i = 0; i < 10; i++) queues.Post(Ev.Dtmf("c1", i.ToString()));
        queues.Post(Ev.Hangup("c1"));
        queues.Post(Ev.Destroyed("c1"));
        release.SetResult();
        await queues.DrainAsync().WaitAsync(Timeout);

        Assert.That(handled.OfType<ChannelDtmfReceived>().Select(d => d.Digit), Is.EqualTo(new[] { "0", "1", "2", "3" }));
        Assert.That(handled.Last(), Is.TypeOf<ChannelDestroyed>());
        Assert.That(handled.OfType<ChannelHangupRequest>().Count(), Is.EqualTo(1));
        Assert.That(queues.Counters.DroppedDtmf, Is.EqualTo(6));
        Assert.That(_log.At(LogLevel.Warning).Count(m => m.Contains("dropping DTMF")), Is.EqualTo(1));
    }

    [Test]
    public async Task Post_BurstsOneAfterAnother_WarnAtMostOncePerInterval()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var (entered, gate) = (new SemaphoreSlim(0), new SemaphoreSlim(0));
        await using var queues = new CallEventQueues(async (_, _) =>
        {
            entered.Release();
            await gate.WaitAsync();
        }, _log, capacityPerCall: 1, time);
        queues.Post(Ev.Start("c1"));
        await entered.WaitAsync(Timeout); // the worker holds StasisStart: the queue is empty

        for (var burst = 0; burst < 5; burst++)
        {
            queues.Post(Ev.Dtmf("c1", "1")); // queued
            queues.Post(Ev.Dtmf("c1", "2")); // dropped: a new burst each time
            gate.Release();
            await entered.WaitAsync(Timeout); // the worker took the queued digit: room again
        }
        time.Advance(CallEventQueues.DropLogInterval);
        queues.Post(Ev.Dtmf("c1", "1"));
        queues.Post(Ev.Dtmf("c1", "2"));
        gate.Release(100);
        await queues.DrainAsync().WaitAsync(Timeout);

        var warnings = _log.At(LogLevel.Warning).Where(m => m.Contains("dropping DTMF")).ToList();
        Assert.That(queues.Counters.DroppedDtmf, Is.EqualTo(6));
        Assert.That(warnings, Has.Count.EqualTo(2));
        Assert.That(warnings[1], Does.Contain("(5 dropped since the last warning)"));
    }

    [Test]
    public async Task Post_LifecycleEventsBeyondCapacity_AreNeverDropped()
    {
        var release = new TaskCompletionSource();
        int handled = 0;
        await using var queues = new CallEventQueues(async (e, _) =>
        {
            await release.Task;
            Interlocked.Increment(ref handled);
        }, _log, capacityPerCall: 2);

        for (int i = 0; i < 50; i++) queues.Post(i % 2 == 0 ? Ev.Hangup("c1") : Ev.Numbered("c1", i));
        queues.Post(Ev.Destroyed("c1"));
        release.SetResult();
        await queues.DrainAsync().WaitAsync(Timeout);

        Assert.That(handled, Is.EqualTo(51));
        Assert.That(queues.Counters.DroppedDtmf, Is.Zero);
    }

    [Test]
    public async Task Drain_RemovesIdleQueues()
    {
        await using var queues = new CallEventQueues((_, _) => ValueTask.CompletedTask, _log);
        for (int i = 0; i < 20; i++) queues.Post(Ev.Start($"c{i}"));

        await queues.DrainAsync().WaitAsync(Timeout);

        Assert.That(queues.Counters.ActiveQueues, Is.Zero);
        queues.Post(Ev.Hangup("c1"));
        await queues.DrainAsync().WaitAsync(Timeout);
        Assert.That(queues.Counters.Handled, Is.EqualTo(21));
    }

    [Test]
    public async Task DisposeAsync_CancelsTheHandlersToken()
    {
        var started = new TaskCompletionSource();
        var queues = new CallEventQueues(async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout, ct);
        }, _log);
        queues.Post(Ev.Start("c1"));
        await started.Task.WaitAsync(Timeout);

        await queues.DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.That(queues.Counters.HandlerFailures, Is.Zero);
    }
}
