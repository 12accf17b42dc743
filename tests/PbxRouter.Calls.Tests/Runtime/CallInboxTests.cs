using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Runtime;
using PbxRouter.Calls.Tests.Support;

namespace PbxRouter.Calls.Tests.Runtime;

[TestFixture]
public sealed class CallInboxTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-24T09:00:00Z"));
    private readonly ListLogger _log = new();

    [Test]
    public async Task Post_BeyondCapacity_DropsDigitsButNeverLifecycleEvents()
    {
        var inbox = new CallInbox("patient-1", _log, _time, capacity: 4);

        var kept = Enumerable.Range(0, 10).Count(i => inbox.Post(Events.Dtmf("patient-1", (i % 10).ToString())));
        AriEvent[] lifecycle =
        [
            Events.PlaybackFinished("patient-1", "p1"), Events.Dial("leg-1", "ANSWER"), Events.Hangup("patient-1"),
            new StasisEnd { Type = "StasisEnd", Channel = Events.Ch("patient-1") },
            new ChannelDestroyed { Type = "ChannelDestroyed", Channel = Events.Ch("patient-1") },
        ];
        foreach (var e in lifecycle) Assert.That(inbox.Post(e), Is.True, $"{e.Type} is always queued");

        var read = await ReadAllAsync(inbox);
        Assert.That(kept, Is.EqualTo(4));
        Assert.That(read.Select(e => e.Type), Is.EqualTo(Enumerable.Repeat("ChannelDtmfReceived", 4).Concat(lifecycle.Select(e => e.Type))));
        Assert.That((inbox.DtmfPosted, inbox.DtmfDropped), Is.EqualTo((10L, 6L)));
    }

    [Test]
    public void Flood_IsReportedOncePerIntervalNotOncePerDigit()
    {
        var inbox = new CallInbox("patient-1", _log, _time, capacity: 2);
        var reports = new List<DtmfDropReport>();
        inbox.OnDropped = reports.Add;

        for (var i = 0; i < 1000; i++) inbox.Post(Events.Dtmf("patient-1", "1"));
        _time.Advance(CallInbox.ReportInterval - TimeSpan.FromMilliseconds(1));
        for (var i = 0; i < 1000; i++) inbox.Post(Events.Dtmf("patient-1", "1"));
        Assert.That(reports, Has.Count.EqualTo(1), "the first drop is reported at once, the rest waits for the interval");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        inbox.Post(Events.Dtmf("patient-1", "1"));
        inbox.ReportDrops();
        inbox.ReportDrops();

        Assert.That(reports, Is.EqualTo(new[] { new DtmfDropReport(1, 1, 3), new DtmfDropReport(1998, 1999, 2001) }));
        Assert.That(_log.At(LogLevel.Warning), Has.Count.EqualTo(2));
        Assert.That(_log.At(LogLevel.Warning)[1], Does.Contain("patient-1").And.Contain("1998 digits dropped").And.Contain("total 1999 of 2001"));
    }

    [Test]
    public void ReportDrops_AtTheEndOfTheCall_ReportsWhatTheIntervalHeldBack()
    {
        var inbox = new CallInbox("patient-1", _log, _time, capacity: 1);
        var reports = new List<DtmfDropReport>();
        inbox.OnDropped = reports.Add;
        for (var i = 0; i < 5; i++) inbox.Post(Events.Dtmf("patient-1", "1"));

        inbox.ReportDrops();

        Assert.That(reports.Select(r => r.Dropped), Is.EqualTo(new[] { 1L, 3L }));
    }

    [Test]
    public async Task UrgentKey_OnceTheFlowHasReadTheFlood_IsDeliveredAgain()
    {
        var inbox = new CallInbox("patient-1", _log, _time, capacity: 8);
        for (var i = 0; i < 100; i++) inbox.Post(Events.Dtmf("patient-1", "1"));
        await ReadAllAsync(inbox);

        Assert.That(inbox.Post(Events.Dtmf("patient-1", "9")), Is.True);
        var next = await inbox.NextAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.That(next, Is.InstanceOf<ChannelDtmfReceived>().And.Property("Digit").EqualTo("9"));
    }

    [Test]
    public async Task NextAsync_WhenNothingArrives_ReturnsNullAfterTheTimeoutOfTheInjectedClock()
    {
        var inbox = new CallInbox("patient-1", _log, _time);

        var next = inbox.NextAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        await Task.Delay(50);
        Assert.That(next.IsCompleted, Is.False, "real time does not end the wait");
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.That(await next.WaitAsync(TimeSpan.FromSeconds(5)), Is.Null);
    }

    [Test]
    public async Task TakeAsync_TakesTheFirstMatch_AndLeavesWhatItSkippedInOrder()
    {
        var inbox = new CallInbox("patient-1", _log, _time);
        inbox.Post(Events.Dtmf("patient-1", "9"));
        inbox.Post(Events.PlaybackFinished("patient-1", "position-1"));
        inbox.Post(Events.Dial("leg-1", "ANSWER"));

        var dial = await inbox.TakeAsync(e => e is Dial, TimeSpan.Zero, CancellationToken.None);

        Assert.That(dial, Is.InstanceOf<Dial>());
        Assert.That((await ReadAllAsync(inbox)).Select(e => e.Type), Is.EqualTo(new[] { "ChannelDtmfReceived", "PlaybackFinished" }));
    }

    [Test]
    public async Task TakeAsync_WaitsForAMatchPastEventsItDoesNotWant_ThenTimesOutOnTheInjectedClock()
    {
        var inbox = new CallInbox("patient-1", _log, _time);
        var dial = inbox.TakeAsync(e => e is Dial, TimeSpan.FromSeconds(5), CancellationToken.None);

        inbox.Post(Events.Dtmf("patient-1", "9"));
        inbox.Post(Events.Dial("leg-1", "BUSY"));
        Assert.That(await dial.WaitAsync(TimeSpan.FromSeconds(5)), Is.InstanceOf<Dial>());

        var none = inbox.TakeAsync(e => e is Dial, TimeSpan.FromSeconds(5), CancellationToken.None);
        await Task.Delay(50);
        Assert.That(none.IsCompleted, Is.False, "real time does not end the wait");
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.That(await none.WaitAsync(TimeSpan.FromSeconds(5)), Is.Null);
        Assert.That(inbox.Pending, Is.EqualTo(1), "the key is still there");
    }

    [Test]
    public async Task TakeAsync_Cancelled_TakesNothing()
    {
        var inbox = new CallInbox("patient-1", _log, _time);
        using var cancel = new CancellationTokenSource();
        var wait = inbox.TakeAsync(e => e is Dial, TimeSpan.FromMinutes(1), cancel.Token);
        inbox.Post(Events.Dtmf("patient-1", "9"));

        await cancel.CancelAsync();

        Assert.That(async () => await wait, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(inbox.Pending, Is.EqualTo(1));
    }

    [Test]
    public async Task TakeAsync_Woken_ReturnsNullTakesNothingAndThrowsNothing()
    {
        var inbox = new CallInbox("patient-1", _log, _time);
        var wake = new TaskCompletionSource();
        var wait = inbox.TakeAsync(e => e is Dial, TimeSpan.FromMinutes(1), CancellationToken.None, wake.Task);
        inbox.Post(Events.Dtmf("patient-1", "9"));
        await Task.Delay(50);
        Assert.That(wait.IsCompleted, Is.False, "a skipped event does not end the wait");

        wake.SetResult();

        Assert.That(await wait.WaitAsync(TimeSpan.FromSeconds(5)), Is.Null);
        Assert.That(inbox.Pending, Is.EqualTo(1), "the key is still there");
        Assert.That(await inbox.TakeAsync(e => e is ChannelDtmfReceived, TimeSpan.FromMinutes(1), CancellationToken.None, wake.Task),
            Is.InstanceOf<ChannelDtmfReceived>(), "a woken wait still takes a match that is already there");
        Assert.That(await inbox.TakeAsync(_ => true, TimeSpan.FromMinutes(1), CancellationToken.None, wake.Task), Is.Null,
            "an already completed wake ends the wait at once");
    }

    private static async Task<List<AriEvent>> ReadAllAsync(CallInbox inbox)
    {
        var read = new List<AriEvent>();
        while (await inbox.NextAsync(TimeSpan.Zero, CancellationToken.None) is { } e) read.Add(e);
        return read;
    }
}
