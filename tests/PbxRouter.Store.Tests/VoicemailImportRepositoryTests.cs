namespace PbxRouter.Store.Tests;

public sealed class VoicemailImportRepositoryTests : StoreTestBase
{
    private VoicemailImportRepository _imports = null!;
    private VoicemailRepository _voicemails = null!;

    [SetUp]
    public void CreateRepositories()
    {
        _imports = new VoicemailImportRepository(Db, Time);
        _voicemails = new VoicemailRepository(Db, Time);
    }

    private static VoicemailMessage Message(string id) =>
        new(id, "cabinet", "tilleuls", "+33612345678", Start, 5, "fallback~tilleuls~cabinet~1~2-3~p33612345678", false, "2.3");

    [Test]
    public async Task Import_TheSameSourceTwice_IndexesTheMessageOnce()
    {
        Assert.That(await _imports.ImportAsync("source-1", Message("m1")), Is.True);
        Assert.That(await _imports.ImportAsync("source-1", Message("m1")), Is.False);

        Assert.That(await _voicemails.ListAsync("cabinet", includeListened: true), Is.EqualTo(new[] { Message("m1") }));
        Assert.That(await _imports.StatusAsync(["source-1", "unknown"]), Is.EqualTo(new Dictionary<string, bool> { ["source-1"] = false }));
    }

    [Test]
    public async Task Import_OfASourceWhoseMessageWasDeleted_DoesNotBringItBack()
    {
        await _imports.ImportAsync("source-1", Message("m1"));
        await _voicemails.DeleteAsync("m1", "tilleuls.accueil-1");

        Assert.That(await _imports.ImportAsync("source-1", Message("m1")), Is.False);
        Assert.That(await _voicemails.ListAsync("cabinet", includeListened: true), Is.Empty);
    }

    [Test]
    public async Task MarkNotified_IsKeptAndReported()
    {
        await _imports.ImportAsync("source-1", Message("m1"));
        await _imports.ImportAsync("source-2", Message("m2"));
        await _imports.MarkNotifiedAsync("source-1");
        await _imports.MarkNotifiedAsync("source-1");

        var status = await _imports.StatusAsync(["source-1", "source-2"]);
        Assert.That(status, Is.EqualTo(new Dictionary<string, bool> { ["source-1"] = true, ["source-2"] = false }));
    }

    [Test]
    public async Task Import_WhenIndexingTheMessageFails_RecordsNothingSoTheNextAttemptImportsIt()
    {
        Execute("CREATE TRIGGER fail_index BEFORE INSERT ON voicemails BEGIN SELECT RAISE(ABORT, 'injected: disk full'); END;");
        Assert.ThrowsAsync<StoreException>(() => _imports.ImportAsync("source-1", Message("m1")));
        Execute("DROP TRIGGER fail_index;");

        Assert.That(await _imports.StatusAsync(["source-1"]), Is.Empty, "the ledger row went with the failed transaction");
        Assert.That(await _imports.ImportAsync("source-1", Message("m1")), Is.True, "the next attempt imports it");
        Assert.That(await _voicemails.ListAsync("cabinet", includeListened: true), Has.Count.EqualTo(1));
    }
}
