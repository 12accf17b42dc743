using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PbxRouter.Calls.Notifications;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Notifications;

/// <summary>The outbox's state machine: written before sent, exponential backoff, failed after the bound, restarts, never twice.</summary>
public sealed class NotificationOutboxTests
{
    private static readonly VoicemailNotice Notice = new("m1", "tilleuls", "cabinet", false, "+33611223344",
        new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.Zero), 12, "call-1");

    private static readonly Notification Mail = new(NotificationKind.Email, "secretariat@tilleuls.example.fr");

    private static readonly NotificationOptions Options = new()
    {
        MaxAttempts = 4, RetryDelay = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromSeconds(30), UrgentWait = TimeSpan.FromSeconds(30),
    };

    private TempStore _store = null!;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void SetUp()
    {
        _store = new TempStore();
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 31, 0, TimeSpan.Zero));
    }

    [TearDown]
    public async Task TearDownAsync() => await _store.DisposeAsync();

    private NotificationOutboxRepository Outbox => new(_store.Db, _time);

    private (VoicemailNotifier Notifier, NotificationDispatcher Dispatcher) Engine(INotificationSender sender, NotificationOptions? options = null) =>
        TestNotifier.Create(_store.Db, options ?? Options, _time, sender);

    private async Task<OutboxEntry> OnlyEntry() => (await Outbox.ListAsync([], 10)).Single();

    [Test]
    public async Task Notify_WritesTheEntryBeforeSending_SendsItOnce_AndNeverAgain()
    {
        var states = new List<string>();
        var sender = new ProbingSender(async () => states.Add((await OnlyEntry()).State));
        var (notifier, dispatcher) = Engine(sender);

        await notifier.NotifyAsync(Notice, [Mail], CancellationToken.None);
        await dispatcher.DrainAsync();
        _time.Advance(TimeSpan.FromDays(1));
        Assert.That(await dispatcher.SendDueAsync(), Is.Zero, "a sent entry is never claimed again");
        var (_, restarted) = Engine(sender);
        Assert.That(await restarted.SendDueAsync(), Is.Zero, "nor by another engine on the same database");

        var entry = await OnlyEntry();
        Assert.Multiple(() =>
        {
            Assert.That(states, Is.EqualTo(new[] { OutboxStates.Sending }), "in the outbox, claimed, while it was sent; sent once");
            Assert.That(entry.State, Is.EqualTo(OutboxStates.Sent));
            Assert.That(entry.Attempts, Is.EqualTo(1));
            Assert.That(entry.SentAt, Is.EqualTo(_time.GetUtcNow() - TimeSpan.FromDays(1)));
            Assert.That((entry.MessageId, entry.TargetKind, entry.Target, entry.Box), Is.EqualTo(("m1", "email", Mail.Target, "cabinet")));
        });
    }

    [Test]
    public async Task Notify_TheSameMessageAgain_WritesAndSendsNothingMore()
    {
        var sender = new CapturingSender();
        var (notifier, dispatcher) = Engine(sender);

        await notifier.NotifyAsync(Notice, [Mail], CancellationToken.None);
        await dispatcher.DrainAsync();
        await notifier.NotifyAsync(Notice, [Mail], CancellationToken.None);
        await dispatcher.DrainAsync();

        Assert.That(await Outbox.ListAsync([], 10), Has.Count.EqualTo(1));
        Assert.That(sender.Sent, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task FailingTarget_IsRetriedWithExponentialBackoff_ThenFailedAndVisible()
    {
        var sender = new CapturingSender(fail: true);
        var (notifier, dispatcher) = Engine(sender);
        var start = _time.GetUtcNow();

        await notifier.NotifyAsync(Notice, [Mail], CancellationToken.None);
        await dispatcher.DrainAsync();
        var afterFirst = await OnlyEntry();

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.That(await dispatcher.SendDueAsync(), Is.Zero, "not due before 10 s");
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await dispatcher.SendDueAsync(), Is.EqualTo(1), "second attempt at 10 s");
        var afterSecond = await OnlyEntry();
        _time.Advance(TimeSpan.FromSeconds(19));
        Assert.That(await dispatcher.SendDueAsync(), Is.Zero, "the next delay doubled to 20 s");
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await dispatcher.SendDueAsync(), Is.EqualTo(1));
        var afterThird = await OnlyEntry();
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.That(await dispatcher.SendDueAsync(), Is.EqualTo(1), "40 s capped to MaxRetryDelay 30 s");
        var last = await OnlyEntry();
        _time.Advance(TimeSpan.FromDays(1));
        Assert.That(await dispatcher.SendDueAsync(), Is.Zero, "a failed entry is not tried again by itself");

        Assert.Multiple(() =>
        {
            Assert.That((afterFirst.State, afterFirst.Attempts, afterFirst.NextAttemptAt), Is.EqualTo((OutboxStates.Pending, 1, start + TimeSpan.FromSeconds(10))));
            Assert.That(afterFirst.LastError, Is.EqualTo("down"));
            Assert.That((afterSecond.Attempts, afterSecond.NextAttemptAt), Is.EqualTo((2, start + TimeSpan.FromSeconds(10 + 20))));
            Assert.That((afterThird.Attempts, afterThird.NextAttemptAt), Is.EqualTo((3, start + TimeSpan.FromSeconds(30 + 30))));
            Assert.That((last.State, last.Attempts, last.LastError), Is.EqualTo((OutboxStates.Failed, 4, "down")));
            Assert.That(sender.Sent, Has.Count.EqualTo(4));
        });
    }

    [Test]
    public async Task FailedEntry_RetriedByHand_IsSentByTheNextPass()
    {
        var sender = new CapturingSender(fail: true);
        var (notifier, dispatcher) = Engine(sender, new NotificationOptions { MaxAttempts = 1 });
        await notifier.NotifyAsync(Notice, [Mail], CancellationToken.None);
        await dispatcher.DrainAsync();
        var failed = await OnlyEntry();

        sender.Failing = false;
        Assert.That(await Outbox.RetryAsync(failed.Id), Is.True);
        Assert.That(await Outbox.RetryAsync(failed.Id), Is.False, "only a failed entry can be retried");
        Assert.That(await dispatcher.SendDueAsync(), Is.EqualTo(1));

        Assert.That(failed.State, Is.EqualTo(OutboxStates.Failed));
        Assert.That((await OnlyEntry()).State, Is.EqualTo(OutboxStates.Sent));
    }

    [Test]
    public async Task PermanentRefusal_IsFailedAtOnce()
    {
        var (notifier, dispatcher) = Engine(new ProbingSender(() => throw new PermanentNotificationException("webhook refused (404)")));

        await notifier.NotifyAsync(Notice, [Mail], CancellationToken.None);
        await dispatcher.DrainAsync();

        var entry = await OnlyEntry();
        Assert.That((entry.State, entry.Attempts, entry.LastError), Is.EqualTo((OutboxStates.Failed, 1, "webhook refused (404)")));
    }

    [Test]
    public async Task Restart_ANewDispatcherOnTheSameDatabase_SendsWhatThePreviousOneLeftPending()
    {
        var (notifier, first) = Engine(new CapturingSender(fail: true));
        await notifier.NotifyAsync(Notice, [Mail], CancellationToken.None);
        await first.DrainAsync();

        // The engine stops; the next one starts on the same file with a working target.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var working = new CapturingSender();
        var (_, next) = Engine(working);
        Assert.That(await next.SendDueAsync(), Is.Zero, "the retry is not due yet");
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.That(await next.SendDueAsync(), Is.EqualTo(1));

        Assert.That(working.Sent.Select(s => s.Notice.MessageId), Is.EqualTo(new[] { "m1" }));
        Assert.That((await OnlyEntry()).State, Is.EqualTo(OutboxStates.Sent));
    }

    [Test]
    public async Task Restart_AnEntryLeftInSendingByAStoppedEngine_IsSentByTheNextEnginesLoop()
    {
        await Outbox.EnqueueAsync([new NewOutboxEntry("m1", "tilleuls", "cabinet", false, "email", Mail.Target,
            NotificationPayload.For(Notice, Mail, "Tilleuls", "Europe/Paris").ToJson())]);
        Assert.That(await Outbox.ClaimDueAsync(10), Has.Count.EqualTo(1), "the previous engine claimed it, then died mid-send");
        Assert.That(await Outbox.ClaimDueAsync(10), Is.Empty, "a claimed entry is nobody else's");

        var working = new CapturingSender();
        var (_, next) = Engine(working);
        using var stop = new CancellationTokenSource();
        var loop = next.RunAsync(stop.Token);
        while (working.Sent.IsEmpty && !loop.IsCompleted) await Task.Delay(20);
        await next.DrainAsync();
        await stop.CancelAsync();
        await loop;

        var entry = await OnlyEntry();
        Assert.That((entry.State, entry.Attempts), Is.EqualTo((OutboxStates.Sent, 2)));
        Assert.That(working.Sent, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task UrgentBox_TheFlowWaitsForTheSend()
    {
        var sender = new CapturingSender();
        var (notifier, _) = Engine(sender);

        await notifier.NotifyAsync(Notice with { Urgent = true }, [Mail], CancellationToken.None);

        Assert.That(sender.Sent, Has.Count.EqualTo(1), "sent before NotifyAsync returned");
        Assert.That((await OnlyEntry()).State, Is.EqualTo(OutboxStates.Sent));
    }

    [Test]
    public async Task UrgentBox_ASlowTarget_HoldsTheFlowOnlyUntilUrgentWait_ThenFinishesInTheBackground()
    {
        var release = new TaskCompletionSource();
        var (notifier, dispatcher) = TestNotifier.Create(_store.Db, new NotificationOptions { UrgentWait = TimeSpan.FromMilliseconds(200) },
            TimeProvider.System, new ProbingSender(() => release.Task));

        await notifier.NotifyAsync(Notice with { Urgent = true }, [Mail], CancellationToken.None);
        var waiting = (await new NotificationOutboxRepository(_store.Db, TimeProvider.System).ListAsync([], 1)).Single().State;
        release.SetResult();
        await dispatcher.DrainAsync();

        Assert.That(waiting, Is.EqualTo(OutboxStates.Sending), "the flow went on while the send was still running");
        Assert.That((await new NotificationOutboxRepository(_store.Db, TimeProvider.System).ListAsync([], 1)).Single().State, Is.EqualTo(OutboxStates.Sent));
    }

    [Test]
    public async Task Payload_ShowsTheCallerAsTheBoxSays()
    {
        var sender = new CapturingSender();
        var (notifier, dispatcher) = Engine(sender);

        await notifier.NotifyAsync(Notice with { MessageId = "masked" }, [Mail], CancellationToken.None);
        await notifier.NotifyAsync(Notice with { MessageId = "full" }, [Mail with { Caller = CallerNumberShown.Full }], CancellationToken.None);
        await notifier.NotifyAsync(Notice with { MessageId = "hidden" }, [Mail with { Caller = CallerNumberShown.Hidden }], CancellationToken.None);
        await dispatcher.DrainAsync();

        var callers = sender.Deliveries.ToDictionary(d => d.Payload.Notice.MessageId, d => d.Payload.Notice.CallerNumber);
        var stored = string.Join("\n", (await Outbox.ListAsync([], 10)).Where(e => e.MessageId != "full").Select(e => e.Payload));
        Assert.Multiple(() =>
        {
            Assert.That(callers["masked"], Is.EqualTo(PhoneNumberMask.Mask("+33611223344")).And.Not.Contain("1122"));
            Assert.That(callers["full"], Is.EqualTo("+33611223344"));
            Assert.That(callers["hidden"], Is.Null);
            Assert.That(stored, Does.Not.Contain("611223344"), "a masked or hidden number is not even kept in the outbox");
        });
    }

    /// <summary>Runs <paramref name="probe"/> as its send.</summary>
    private sealed class ProbingSender(Func<Task> probe) : INotificationSender
    {
        public bool Handles(NotificationKind kind) => true;
        public Task SendAsync(NotificationDelivery delivery, CancellationToken ct) => probe();
    }
}
