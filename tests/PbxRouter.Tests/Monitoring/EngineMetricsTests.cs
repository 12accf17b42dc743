using System.Text;
using Microsoft.Extensions.Time.Testing;
using PbxRouter.Ari;
using PbxRouter.Calls.Flows.Reception;
using PbxRouter.Monitoring;
using PbxRouter.Store;
using PbxRouter.Tests.Cli;

namespace PbxRouter.Tests.Monitoring;

[TestFixture]
public sealed class EngineMetricsTests
{
    private static async Task<string> TextAsync(EngineMetrics metrics) => Encoding.UTF8.GetString(await metrics.ExportAsync(default));

    private static async Task<StoreDatabase> MigratedAsync()
    {
        var db = new StoreDatabase(Path.Combine(CliRunner.TempFolder(), "pbxrouter.db"));
        await db.MigrateAsync();
        return db;
    }

    [Test]
    public async Task AFinishedCallRecord_CountsOneCallOfItsPracticeAndOutcome_WithoutNumbersOrIdsInLabels()
    {
        var db = await MigratedAsync();
        var metrics = new EngineMetrics();
        db.Observer = metrics;
        await using var writer = new CallRecordWriter(db, TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        await writer.StartCallAsync(new CallRecordStart("1764666000.42", now, "tilleuls", "+33145000000", "+33612345678", 1));
        await writer.StartCallAsync(new CallRecordStart("1764666000.43", now, null, "+33199999999", "+33698765432", 0));
        await writer.AddStepAsync("1764666000.42", CallStepKinds.Answered, "accueil-1", "tilleuls");
        await writer.EndCallAsync("1764666000.42", CallOutcomes.Answered, "accueil-1", "caller");
        await writer.EndCallAsync("1764666000.43", CallOutcomes.Fallback, null, null);
        await writer.FlushAsync();
        var text = await TextAsync(metrics);
        Assert.That(text, Does.Contain("pbxrouter_calls_total{practice=\"tilleuls\",outcome=\"answered\"} 1\n"));
        Assert.That(text, Does.Contain("pbxrouter_calls_total{practice=\"none\",outcome=\"fallback\"} 1\n"));
        Assert.That(text, Does.Match("pbxrouter_sqlite_write_duration_seconds_count\\{writer=\"call_records\"\\} [1-9]"));
        Assert.That(text, Does.Not.Contain("+336").And.Not.Contain("0612").And.Not.Contain("1764666000"));
    }

    [Test]
    public async Task AnEndForAnUnknownCall_CountsNothing()
    {
        var db = await MigratedAsync();
        var metrics = new EngineMetrics();
        db.Observer = metrics;
        await using var writer = new CallRecordWriter(db, TimeProvider.System);
        await writer.EndCallAsync("no-such-call", CallOutcomes.Answered, null, null);
        await writer.FlushAsync();
        Assert.That(await TextAsync(metrics), Does.Not.Contain("pbxrouter_calls_total{"));
    }

    [Test]
    public async Task StoreTransactions_AreTimed_AndTheOutboxIsCountedByState()
    {
        var db = await MigratedAsync();
        var metrics = new EngineMetrics();
        db.Observer = metrics;
        var outbox = new NotificationOutboxRepository(db, TimeProvider.System);
        await outbox.EnqueueAsync([
            new NewOutboxEntry("m1", "tilleuls", "general", false, "email", "secretariat@example.fr", "{}"),
            new NewOutboxEntry("m1", "tilleuls", "general", false, "webhook", "https://example.fr/hook", "{}"),
        ]);
        var claimed = await outbox.ClaimDueAsync(1);
        await outbox.MarkSentAsync(claimed[0].Id);
        metrics.ReadOutbox(await outbox.CountByStateAsync());
        var text = await TextAsync(metrics);
        Assert.That(text, Does.Contain("pbxrouter_notification_outbox_entries{state=\"pending\"} 1\n")
            .And.Contain("pbxrouter_notification_outbox_entries{state=\"sent\"} 1\n")
            .And.Contain("pbxrouter_notification_outbox_entries{state=\"failed\"} 0\n"));
        Assert.That(text, Does.Contain("pbxrouter_sqlite_write_duration_seconds_count{writer=\"transaction\"} 3\n"));
    }

    [Test]
    public async Task AriRestAttempts_AreObservedByResourceOperationAndMethod_FailuresCounted()
    {
        var metrics = new EngineMetrics();
        metrics.Completed("channels.answer", HttpMethod.Post, TimeSpan.FromMilliseconds(3), failed: false);
        metrics.Completed("channels.answer", HttpMethod.Post, TimeSpan.FromMilliseconds(40), failed: true);
        metrics.Completed("applications.get", HttpMethod.Get, TimeSpan.FromMilliseconds(2), failed: false);
        var text = await TextAsync(metrics);
        Assert.That(text, Does.Contain("pbxrouter_ari_rest_duration_seconds_count{resource=\"channels\",operation=\"answer\",method=\"POST\"} 2\n")
            .And.Contain("pbxrouter_ari_rest_duration_seconds_bucket{resource=\"channels\",operation=\"answer\",method=\"POST\",le=\"0.005\"} 1\n")
            .And.Contain("pbxrouter_ari_rest_failures_total{resource=\"channels\",operation=\"answer\",method=\"POST\"} 1\n")
            .And.Contain("pbxrouter_ari_rest_duration_seconds_count{resource=\"applications\",operation=\"get\",method=\"GET\"} 1\n"));
    }

    [Test]
    public async Task AriConnection_StateIsOneHot_AndReconnectsFollowTheStream()
    {
        var metrics = new EngineMetrics();
        metrics.ReadAri(new AriHealth(AriConnectionState.Connected, DateTimeOffset.UtcNow, 0, null), 2);
        var text = await TextAsync(metrics);
        Assert.That(text, Does.Contain("pbxrouter_ari_connected 1\n").And.Contain("pbxrouter_ari_reconnects_total 2\n")
            .And.Contain("pbxrouter_ari_connection_state{state=\"connected\"} 1\n").And.Contain("pbxrouter_ari_connection_state{state=\"reconnecting\"} 0\n"));
        metrics.ReadAri(new AriHealth(AriConnectionState.Reconnecting, DateTimeOffset.UtcNow, 1, "refused"), 2);
        text = await TextAsync(metrics);
        Assert.That(text, Does.Contain("pbxrouter_ari_connected 0\n").And.Contain("pbxrouter_ari_connection_state{state=\"connected\"} 0\n")
            .And.Contain("pbxrouter_ari_connection_state{state=\"reconnecting\"} 1\n"));
    }

    [Test]
    public async Task Queues_GiveCallersAndTheFirstCallersWait_ByPracticeAndQueue()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T09:00:00Z"));
        var board = new QueueBoard(time);
        Assert.That(board.For("tilleuls").TryJoin("call-a", 10), Is.True);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.That(board.For("tilleuls").TryJoin("call-b", 10), Is.True);
        board.For("tilleuls.pediatrie");
        time.Advance(TimeSpan.FromSeconds(10));
        var metrics = new EngineMetrics();
        metrics.ReadQueues(board, time.GetUtcNow());
        var text = await TextAsync(metrics);
        Assert.That(text, Does.Contain("pbxrouter_queue_callers{practice=\"tilleuls\",queue=\"tilleuls\"} 2\n")
            .And.Contain("pbxrouter_queue_longest_wait_seconds{practice=\"tilleuls\",queue=\"tilleuls\"} 30\n")
            .And.Contain("pbxrouter_queue_callers{practice=\"tilleuls\",queue=\"tilleuls.pediatrie\"} 0\n")
            .And.Contain("pbxrouter_queue_longest_wait_seconds{practice=\"tilleuls\",queue=\"tilleuls.pediatrie\"} 0\n"));
        board.For("tilleuls").Leave("call-a");
        metrics.ReadQueues(board, time.GetUtcNow());
        Assert.That(await TextAsync(metrics), Does.Contain("pbxrouter_queue_longest_wait_seconds{practice=\"tilleuls\",queue=\"tilleuls\"} 10\n"));
        Assert.That(await TextAsync(metrics), Does.Not.Contain("call-a").And.Not.Contain("call-b"));
    }

    [Test]
    public async Task CallsAndInboxes_AreGauges()
    {
        var metrics = new EngineMetrics();
        metrics.ReadCalls(3, 7);
        Assert.That(await TextAsync(metrics), Does.Contain("pbxrouter_active_calls 3\n").And.Contain("pbxrouter_call_inbox_events 7\n"));
    }
}
