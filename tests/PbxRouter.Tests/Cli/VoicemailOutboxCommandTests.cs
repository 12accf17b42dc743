using System.Text.Json;
using PbxRouter.Store;

namespace PbxRouter.Tests.Cli;

[TestFixture]
public sealed class VoicemailOutboxCommandTests
{
    [Test]
    public async Task Outbox_ListsEachState_WithJson_AndRetriesAFailedEntry()
    {
        var path = Path.Combine(CliRunner.TempFolder(), "pbx.db");
        var db = new StoreDatabase(path, TimeProvider.System);
        await db.MigrateAsync();
        var outbox = new NotificationOutboxRepository(db, TimeProvider.System);
        var ids = await outbox.EnqueueAsync([
            new NewOutboxEntry("m-sent", "tilleuls", "cabinet", false, "email", "secretariat@tilleuls.example.fr", "{}"),
            new NewOutboxEntry("m-failed", "tilleuls", "urgences", true, "webhook", "https://alerts.tilleuls.example.fr/urgent", "{}"),
            new NewOutboxEntry("m-pending", "tilleuls", "cabinet", false, "email", "dr.martin@tilleuls.example.fr", "{}"),
        ]);
        await outbox.ClaimDueAsync(10);
        await outbox.MarkSentAsync(ids[0]);
        await outbox.MarkAttemptFailedAsync(ids[1], "webhook refused the notification (404)", null);
        await outbox.MarkAttemptFailedAsync(ids[2], "Connection refused", DateTimeOffset.UtcNow.AddMinutes(1));

        var all = await CliRunner.RunAsync("voicemail", "outbox", "--db", path);
        var failed = await CliRunner.RunAsync("voicemail", "outbox", "--state", "failed", "--db", path, "--json");
        var retried = await CliRunner.RunAsync("voicemail", "outbox", "--retry", ids[1].ToString(), "--db", path);
        var again = await CliRunner.RunAsync("voicemail", "outbox", "--retry", ids[0].ToString(), "--db", path);
        var pending = await CliRunner.RunAsync("voicemail", "outbox", "--state", "pending", "--db", path, "--json");

        Assert.That(all.ExitCode, Is.Zero, all.Err);
        Assert.Multiple(() =>
        {
            Assert.That(all.Out, Does.Contain("sent").And.Contain("message m-sent box cabinet"));
            Assert.That(all.Out, Does.Contain("failed").And.Contain("m-failed box urgences URGENT").And.Contain("last error: webhook refused the notification (404)"));
            Assert.That(all.Out, Does.Contain("pending").And.Contain("next attempt").And.Contain("last error: Connection refused"));
            using var json = JsonDocument.Parse(failed.Out);
            var only = json.RootElement.EnumerateArray().Single();
            Assert.That(only.GetProperty("messageId").GetString(), Is.EqualTo("m-failed"));
            Assert.That(only.GetProperty("state").GetString(), Is.EqualTo("failed"));
            Assert.That(only.GetProperty("attempts").GetInt32(), Is.EqualTo(1));
            Assert.That(only.GetProperty("kind").GetString(), Is.EqualTo("webhook"));
            Assert.That(retried.ExitCode, Is.Zero, retried.Err);
            Assert.That(retried.Out, Does.Contain($"Entry {ids[1]} is pending again"));
            Assert.That(again.ExitCode, Is.EqualTo(1), "a sent entry is never sent again");
            Assert.That(again.Err, Does.Contain("is sent, not failed"));
            using var pendingJson = JsonDocument.Parse(pending.Out);
            Assert.That(pendingJson.RootElement.EnumerateArray().Select(e => e.GetProperty("messageId").GetString()),
                Is.EquivalentTo(new[] { "m-failed", "m-pending" }));
        });
    }

    [Test]
    public async Task Outbox_Empty_SaysSo()
    {
        var path = Path.Combine(CliRunner.TempFolder(), "pbx.db");
        await new StoreDatabase(path, TimeProvider.System).MigrateAsync();

        var result = await CliRunner.RunAsync("voicemail", "outbox", "--db", path);

        Assert.That(result.ExitCode, Is.Zero, result.Err);
        Assert.That(result.Out, Does.Contain("No notification in the outbox."));
    }
}
