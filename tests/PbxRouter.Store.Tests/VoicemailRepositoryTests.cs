namespace PbxRouter.Store.Tests;

public sealed class VoicemailRepositoryTests : StoreTestBase
{
    private VoicemailRepository _voicemails = null!;

    [SetUp]
    public void CreateRepository() => _voicemails = new VoicemailRepository(Db, Time);

    private static VoicemailMessage Message(string id, DateTimeOffset at, bool urgent = false, string box = "martin") =>
        new(id, box, "cabinet-martin", "+33612345678", at, 42, $"vm/{id}.wav", urgent, "call-" + id);

    [Test]
    public async Task Add_ThenList_ReturnsEveryField()
    {
        var m = Message("m1", Start);
        await _voicemails.AddAsync(m);

        Assert.That(await _voicemails.ListAsync("martin", includeListened: false), Is.EqualTo(new[] { m }));
        Assert.That(await _voicemails.ListAsync("other", includeListened: true), Is.Empty);
    }

    [Test]
    public async Task Add_DuplicateId_Throws()
    {
        await _voicemails.AddAsync(Message("m1", Start));
        Assert.ThrowsAsync<StoreException>(() => _voicemails.AddAsync(Message("m1", Start)));
    }

    [Test]
    public async Task List_UrgentFirstThenNewest()
    {
        await _voicemails.AddAsync(Message("old", Start));
        await _voicemails.AddAsync(Message("new", Start.AddMinutes(5)));
        await _voicemails.AddAsync(Message("urgent", Start.AddMinutes(1), urgent: true));

        var list = await _voicemails.ListAsync("martin", includeListened: true);

        Assert.That(list.Select(m => m.Id), Is.EqualTo(new[] { "urgent", "new", "old" }));
    }

    [Test]
    public async Task MarkListened_HidesFromUnlistedKeepsFirstListenerAndLogsEachAccess()
    {
        await _voicemails.AddAsync(Message("m1", Start));
        Time.Advance(TimeSpan.FromHours(1));
        Assert.That(await _voicemails.MarkListenedAsync("m1", "secretaire-anne"), Is.True);
        Time.Advance(TimeSpan.FromHours(1));
        await _voicemails.MarkListenedAsync("m1", "dr-martin");

        Assert.That(await _voicemails.ListAsync("martin", includeListened: false), Is.Empty);
        var listened = (await _voicemails.ListAsync("martin", includeListened: true)).Single();
        Assert.That((listened.ListenedAt, listened.ListenedBy), Is.EqualTo(((DateTimeOffset?)Start.AddHours(1), (string?)"secretaire-anne")));
        var log = await _voicemails.AccessLogAsync("m1");
        Assert.That(log.Select(a => (a.Action, a.By, a.At)), Is.EqualTo(new[]
        {
            ("listened", "secretaire-anne", Start.AddHours(1)),
            ("listened", "dr-martin", Start.AddHours(2)),
        }));
    }

    [Test]
    public async Task Delete_RemovesMessageKeepsAuditRow()
    {
        await _voicemails.AddAsync(Message("m1", Start));
        Time.Advance(TimeSpan.FromMinutes(10));

        Assert.That(await _voicemails.DeleteAsync("m1", "dr-martin"), Is.True);

        Assert.That(await _voicemails.ListAsync("martin", includeListened: true), Is.Empty);
        Assert.That(await _voicemails.AccessLogAsync("m1"), Is.EqualTo(new[]
        {
            new VoicemailAccess(1, "m1", "martin", "deleted", "dr-martin", Start.AddMinutes(10)),
        }));
    }

    [Test]
    public async Task ListenOrDelete_UnknownId_ReturnsFalseAndLogsNothing()
    {
        Assert.That(await _voicemails.MarkListenedAsync("ghost", "x"), Is.False);
        Assert.That(await _voicemails.DeleteAsync("ghost", "x"), Is.False);
        Assert.That(Count("voicemail_access"), Is.Zero);
    }

    [Test]
    public async Task Purge_RemovesOnlyOlderMessagesAndLogsRetention()
    {
        await _voicemails.AddAsync(Message("old1", Start.AddDays(-100)));
        await _voicemails.AddAsync(Message("old2", Start.AddDays(-95), box: "dupont"));
        await _voicemails.AddAsync(Message("recent", Start.AddDays(-10)));
        var cutoff = Start.AddDays(-90);

        var expiring = await _voicemails.ListOlderThanAsync(cutoff);
        var purged = await _voicemails.PurgeOlderThanAsync(cutoff);

        Assert.That(expiring.Select(m => m.RecordingName), Is.EqualTo(new[] { "vm/old1.wav", "vm/old2.wav" }));
        Assert.That(purged, Is.EqualTo(2));
        Assert.That((await _voicemails.ListAsync("martin", true)).Select(m => m.Id), Is.EqualTo(new[] { "recent" }));
        Assert.That((await _voicemails.AccessLogAsync("old2")).Single(),
            Has.Property(nameof(VoicemailAccess.Action)).EqualTo("purged").And.Property(nameof(VoicemailAccess.By)).EqualTo("retention"));
    }

    [Test]
    public async Task AccessLog_IsAppendOnly()
    {
        await _voicemails.AddAsync(Message("m1", Start));
        await _voicemails.DeleteAsync("m1", "dr-martin");
        Assert.That(() => Execute("DELETE FROM voicemail_access"), Throws.Exception.Message.Contains("append-only"));
        Assert.That(() => Execute("UPDATE voicemail_access SET done_by = 'x'"), Throws.Exception.Message.Contains("append-only"));
    }
}
