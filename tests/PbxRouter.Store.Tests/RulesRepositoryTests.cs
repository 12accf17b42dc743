namespace PbxRouter.Store.Tests;

public sealed class RulesRepositoryTests : StoreTestBase
{
    private RulesRepository _rules = null!;

    [SetUp]
    public void CreateRepository() => _rules = new RulesRepository(Db, Time);

    internal static RulesApplication Rules(string hash, string by = "it-alice", string? comment = null) => new(
        [new RulesSourceFile("practices.yaml", $"# {hash}\npractices: []"), new RulesSourceFile("holidays.yaml", "holidays: []")],
        $$"""{"hash":"{{hash}}"}""", hash, by, comment);

    [Test]
    public async Task Active_BeforeFirstApply_IsNullAndZero()
    {
        Assert.That(await _rules.GetActiveAsync(), Is.Null);
        Assert.That(await _rules.ActiveVersionNumberAsync(), Is.Zero);
        Assert.That(await _rules.HistoryAsync(), Is.Empty);
    }

    [Test]
    public async Task Apply_First_CreatesVersionOneActiveWithWhoWhenHash()
    {
        var v = await _rules.ApplyAsync(Rules("h1", comment: "initial"), CancellationToken.None);

        Assert.That(v, Is.EqualTo(new RulesVersion(1, Start, "it-alice", "h1", "initial", 2, IsActive: true)));
        Assert.That(await _rules.GetActiveAsync(), Is.EqualTo(v));
        Assert.That(await _rules.ActiveVersionNumberAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Apply_NewContent_NumbersVersionsAndMovesActive()
    {
        await _rules.ApplyAsync(Rules("h1"), CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(5));
        var v2 = await _rules.ApplyAsync(Rules("h2", by: "it-bob"), CancellationToken.None);

        Assert.That(v2.Number, Is.EqualTo(2));
        Assert.That(v2.AppliedAt, Is.EqualTo(Start.AddMinutes(5)));
        Assert.That(await _rules.ActiveVersionNumberAsync(), Is.EqualTo(2));
        Assert.That((await _rules.GetAsync(1))!.Version.IsActive, Is.False);
    }

    [Test]
    public async Task Apply_SameHashAsActive_ReturnsActiveUnchangedAndStoresNothing()
    {
        var v1 = await _rules.ApplyAsync(Rules("h1"), CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(1));

        var again = await _rules.ApplyAsync(Rules("h1", by: "it-bob"), CancellationToken.None);

        Assert.That(again, Is.EqualTo(v1 with { Unchanged = true }));
        Assert.That(Count("rules_versions"), Is.EqualTo(1));
        Assert.That(Count("rules_sources"), Is.EqualTo(2));
    }

    [Test]
    public async Task Apply_SameHashAsOlderVersion_CreatesNewVersion()
    {
        await _rules.ApplyAsync(Rules("h1"), CancellationToken.None);
        await _rules.ApplyAsync(Rules("h2"), CancellationToken.None);

        var v3 = await _rules.ApplyAsync(Rules("h1"), CancellationToken.None);

        Assert.That(v3, Has.Property(nameof(RulesVersion.Number)).EqualTo(3).And.Property(nameof(RulesVersion.Unchanged)).False);
    }

    [Test]
    public async Task Get_ReturnsFilesInOrderAndCompiledJson()
    {
        await _rules.ApplyAsync(Rules("h1"), CancellationToken.None);

        var stored = await _rules.GetAsync(1);

        Assert.That(stored!.Files.Select(f => f.Path), Is.EqualTo(new[] { "practices.yaml", "holidays.yaml" }));
        Assert.That(stored.Files[0].Text, Is.EqualTo("# h1\npractices: []"));
        Assert.That(stored.CompiledJson, Is.EqualTo("""{"hash":"h1"}"""));
        Assert.That(await _rules.GetAsync(42), Is.Null);
    }

    [Test]
    public async Task Apply_FailureMidTransaction_LeavesPreviousActiveVersionUntouched()
    {
        await _rules.ApplyAsync(Rules("h1"), CancellationToken.None);
        // Fails after the version row and the sources were inserted, before the version becomes active.
        Execute("CREATE TRIGGER fail_compiled BEFORE INSERT ON rules_compiled BEGIN SELECT RAISE(ABORT, 'injected failure'); END");

        var e = Assert.ThrowsAsync<StoreException>(() => _rules.ApplyAsync(Rules("h2"), CancellationToken.None));

        Assert.That(e!.Message, Does.Contain("injected failure"));
        Assert.That(await _rules.ActiveVersionNumberAsync(), Is.EqualTo(1));
        Assert.That(Count("rules_versions"), Is.EqualTo(1));
        Assert.That(Count("rules_sources"), Is.EqualTo(2));
        Execute("DROP TRIGGER fail_compiled");
        Assert.That((await _rules.ApplyAsync(Rules("h2"), CancellationToken.None)).Number, Is.EqualTo(2));
    }

    [Test]
    public void Apply_FileWithNullPath_IsRejectedBeforeWriting()
    {
        var app = Rules("h1") with { Files = [new RulesSourceFile(null!, "x")] };

        Assert.ThrowsAsync<ArgumentException>(() => _rules.ApplyAsync(app, CancellationToken.None));
        Assert.That(Count("rules_versions"), Is.Zero);
    }

    [Test]
    public async Task History_IsNewestFirstAndLimited()
    {
        foreach (var hash in new[] { "h1", "h2", "h3", "h4" })
        {
            await _rules.ApplyAsync(Rules(hash), CancellationToken.None);
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        var history = await _rules.HistoryAsync(limit: 3);

        Assert.That(history.Select(v => v.Number), Is.EqualTo(new[] { 4, 3, 2 }));
        Assert.That(history.Select(v => v.IsActive), Is.EqualTo(new[] { true, false, false }));
    }

    [Test]
    public async Task Rollback_CreatesNewActiveVersionWithSameContent()
    {
        await _rules.ApplyAsync(Rules("h1"), CancellationToken.None);
        await _rules.ApplyAsync(Rules("h2"), CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(3));

        var v3 = await _rules.RollbackAsync(1, "it-carol");

        Assert.That(v3, Is.EqualTo(new RulesVersion(3, Start.AddMinutes(3), "it-carol", "h1", "rollback of 1", 2, IsActive: true)));
        var (original, copy) = ((await _rules.GetAsync(1))!, (await _rules.GetAsync(3))!);
        Assert.That(copy.Files, Is.EqualTo(original.Files));
        Assert.That(copy.CompiledJson, Is.EqualTo(original.CompiledJson));
        Assert.That((await _rules.HistoryAsync()).Select(v => v.Number), Is.EqualTo(new[] { 3, 2, 1 }));
    }

    [Test]
    public async Task Rollback_ToContentAlreadyActive_IsUnchanged()
    {
        await _rules.ApplyAsync(Rules("h1"), CancellationToken.None);

        var result = await _rules.RollbackAsync(1, "it-carol");

        Assert.That(result.Unchanged, Is.True);
        Assert.That(Count("rules_versions"), Is.EqualTo(1));
    }

    [Test]
    public async Task Rollback_UnknownVersion_Throws()
    {
        await _rules.ApplyAsync(Rules("h1"), CancellationToken.None);

        var e = Assert.ThrowsAsync<RulesVersionNotFoundException>(() => _rules.RollbackAsync(7, "it-carol"));

        Assert.That(e!.Version, Is.EqualTo(7));
        Assert.That(e.Message, Does.Contain("1 to 1"));
    }

    [Test]
    public async Task Versions_AreAppendOnly()
    {
        await _rules.ApplyAsync(Rules("h1"), CancellationToken.None);
        Assert.That(() => Execute("UPDATE rules_versions SET applied_by = 'mallory'"), Throws.Exception.Message.Contains("append-only"));
        Assert.That(() => Execute("DELETE FROM rules_versions"), Throws.Exception.Message.Contains("append-only"));
    }

    [Test]
    public async Task Apply_ConcurrentFromTwoProcesses_GetDistinctNumbers()
    {
        var other = new RulesRepository(new StoreDatabase(DbPath, Time), Time);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            (i % 2 == 0 ? _rules : other).ApplyAsync(Rules($"h{i}"), CancellationToken.None))));

        Assert.That((await _rules.HistoryAsync()).Select(v => v.Number), Is.EqualTo(Enumerable.Range(1, 10).Reverse()));
    }
}
