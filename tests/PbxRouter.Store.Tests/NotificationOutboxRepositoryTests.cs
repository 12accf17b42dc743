namespace PbxRouter.Store.Tests;

public sealed class NotificationOutboxRepositoryTests : StoreTestBase
{
    private NotificationOutboxRepository Outbox => new(Db, Time);

    private static NewOutboxEntry Entry(string message, string target = "a@tilleuls.example.fr") =>
        new(message, "tilleuls", "cabinet", false, "email", target, "{}");

    [Test]
    public async Task Enqueue_TheSameMessageAndTargetTwice_KeepsOneEntryWithOneId()
    {
        var first = await Outbox.EnqueueAsync([Entry("m1"), Entry("m1", "b@tilleuls.example.fr")]);
        var again = await Outbox.EnqueueAsync([Entry("m1")]);

        Assert.That(again, Is.EqualTo(new[] { first[0] }));
        Assert.That(await Outbox.ListAsync([], 10), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Claim_ConcurrentClaimers_NeverGetTheSameEntry()
    {
        await Outbox.EnqueueAsync(Enumerable.Range(0, 40).Select(i => Entry($"m{i}")).ToList());

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new NotificationOutboxRepository(Db, Time).ClaimDueAsync(15))));

        var ids = claims.SelectMany(c => c.Select(e => e.Id)).ToList();
        Assert.That(ids, Is.Unique);
        Assert.That(ids, Has.Count.EqualTo(40));
        Assert.That(claims.SelectMany(c => c).Select(e => (e.State, e.Attempts)).Distinct(), Is.EqualTo(new[] { (OutboxStates.Sending, 1) }));
    }

    [Test]
    public async Task Claim_OnlyDueEntries_UrgentFirst()
    {
        await Outbox.EnqueueAsync([Entry("late"), Entry("normal"), Entry("urgent") with { Urgent = true }]);
        var late = (await Outbox.ClaimDueAsync(1, [(await Outbox.ListAsync([], 10)).Single(e => e.MessageId == "late").Id])).Single();
        await Outbox.MarkAttemptFailedAsync(late.Id, "down", Time.GetUtcNow().AddMinutes(1));

        var claimed = await Outbox.ClaimDueAsync(10);

        Assert.That(claimed.OrderByDescending(e => e.Urgent).Select(e => e.MessageId), Is.EqualTo(new[] { "urgent", "normal" }));
        Assert.That(await Outbox.NextDueAsync(), Is.EqualTo(Time.GetUtcNow().AddMinutes(1)));
    }

    [Test]
    public async Task Release_PutsBackOnlySendingEntries_DueNow()
    {
        await Outbox.EnqueueAsync([Entry("sending"), Entry("sent")]);
        var claimed = await Outbox.ClaimDueAsync(10);
        await Outbox.MarkSentAsync(claimed.Single(e => e.MessageId == "sent").Id);
        Time.Advance(TimeSpan.FromMinutes(5));

        Assert.That(await Outbox.ReleaseInterruptedAsync(), Is.EqualTo(1));

        var entries = (await Outbox.ListAsync([], 10)).ToDictionary(e => e.MessageId);
        Assert.That((entries["sending"].State, entries["sending"].NextAttemptAt), Is.EqualTo((OutboxStates.Pending, Time.GetUtcNow())));
        Assert.That(entries["sending"].LastError, Does.Contain("interrupted"));
        Assert.That(entries["sent"].State, Is.EqualTo(OutboxStates.Sent));
        Assert.That(await Outbox.ListAsync([OutboxStates.Sent], 10), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task MarkSent_OnlyAClaimedEntry()
    {
        var id = (await Outbox.EnqueueAsync([Entry("m1")])).Single();

        await Outbox.MarkSentAsync(id);

        Assert.That((await Outbox.GetAsync([id])).Single().State, Is.EqualTo(OutboxStates.Pending), "not claimed: not sent");
    }

    [Test]
    public async Task VoicemailGet_ByIdOrNull()
    {
        var voicemails = new VoicemailRepository(Db, Time);
        var message = new VoicemailMessage("m1", "cabinet", "tilleuls", "+33611223344", Start, 7, "vm~x", true, "c1");
        await voicemails.AddAsync(message);

        Assert.That(await voicemails.GetAsync("m1"), Is.EqualTo(message));
        Assert.That(await voicemails.GetAsync("nope"), Is.Null);
    }
}
