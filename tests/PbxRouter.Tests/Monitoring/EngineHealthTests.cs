using System.Text.Json;
using PbxRouter.Ari;
using PbxRouter.Monitoring;
using PbxRouter.Store;
using PbxRouter.Tests.Cli;

namespace PbxRouter.Tests.Monitoring;

[TestFixture]
public sealed class EngineHealthTests
{
    private static readonly DateTimeOffset Since = DateTimeOffset.Parse("2026-12-01T09:00:00Z");
    private static readonly AriHealth Connected = new(AriConnectionState.Connected, Since, 0, null);

    private static async Task<StoreDatabase> MigratedAsync()
    {
        var db = new StoreDatabase(Path.Combine(CliRunner.TempFolder(), "pbxrouter.db"));
        await db.MigrateAsync();
        return db;
    }

    private static EngineHealth Health(StoreDatabase db, AriHealth? ari = null, int rules = 3, long minFree = 1, string? voicemail = null) =>
        new(() => ari ?? Connected, db, () => rules,
            [("disk_database", Path.GetDirectoryName(db.Path)!), ("disk_voicemail", voicemail ?? Path.Combine(Path.GetDirectoryName(db.Path)!, "voicemail"))],
            minFree);

    [Test]
    public async Task AllChecksPass_WhenConnectedWritableLoadedAndRoomy()
    {
        var db = await MigratedAsync();
        var report = await Health(db).CheckAsync(default);
        Assert.That(report.Healthy, Is.True, string.Join("; ", report.Checks));
        Assert.That(report.Checks.Select(c => c.Name), Is.EqualTo(new[] { "ari", "database", "rules", "disk_database", "disk_voicemail" }));
        Assert.That(report.Checks.Single(c => c.Name == "rules").Detail, Is.EqualTo("version 3 in force"));
    }

    [Test]
    public async Task DatabaseCheck_ChangesNothing()
    {
        var db = await MigratedAsync();
        var before = await File.ReadAllBytesAsync(db.Path);
        var version = await db.SchemaVersionAsync();
        for (var i = 0; i < 3; i++) Assert.That((await Health(db).CheckAsync(default)).Healthy, Is.True);
        Assert.That(await db.SchemaVersionAsync(), Is.EqualTo(version));
        var records = new CallRecordRepository(db, TimeProvider.System);
        Assert.That(await records.RecentAsync(10), Is.Empty);
        Assert.That(before.Length, Is.GreaterThan(0));
    }

    [Test]
    public async Task AriNotConnected_FailsTheAriCheck_WithTheStateAndTheLastError()
    {
        var db = await MigratedAsync();
        var report = await Health(db, new AriHealth(AriConnectionState.Reconnecting, Since, 4, "Connection refused (127.0.0.1:8088)")).CheckAsync(default);
        Assert.That(report.Healthy, Is.False);
        Assert.That(report.Failed, Is.EqualTo(new[] { "ari" }));
        Assert.That(report.Checks[0].Detail, Does.Contain("reconnecting").And.Contain("4 failed attempts").And.Contain("Connection refused"));
    }

    [Test]
    public async Task NoRulesLoaded_FailsTheRulesCheck()
    {
        var db = await MigratedAsync();
        var report = await Health(db, rules: 0).CheckAsync(default);
        Assert.That(report.Failed, Is.EqualTo(new[] { "rules" }));
        Assert.That(report.Checks.Single(c => c.Name == "rules").Detail, Does.Contain("no rules loaded"));
    }

    [Test]
    public async Task ADatabaseWithoutSchema_FailsTheDatabaseCheck_SayingWhy()
    {
        var db = new StoreDatabase(Path.Combine(CliRunner.TempFolder(), "empty.db"));
        var report = await Health(db).CheckAsync(default);
        Assert.That(report.Failed, Is.EqualTo(new[] { "database" }));
        Assert.That(report.Checks.Single(c => c.Name == "database").Detail, Does.Contain("no PbxRouter schema"));
    }

    [Test]
    public async Task ADatabaseInAMissingFolder_FailsTheDatabaseCheck()
    {
        var db = new StoreDatabase(Path.Combine(CliRunner.TempFolder(), "gone", "pbxrouter.db"));
        var report = await Health(db).CheckAsync(default);
        Assert.That(report.Failed, Does.Contain("database"));
        Assert.That(report.Checks.Single(c => c.Name == "database").Detail, Does.Contain("cannot open database"));
    }

    [Test]
    public async Task LessFreeSpaceThanTheThreshold_FailsBothDiskChecks_NamingTheFolder()
    {
        var db = await MigratedAsync();
        var free = new DriveInfo(Path.GetDirectoryName(db.Path)!).AvailableFreeSpace;
        var report = await Health(db, minFree: free + 1024L * 1024 * 1024 * 1024).CheckAsync(default);
        Assert.That(report.Failed, Is.EqualTo(new[] { "disk_database", "disk_voicemail" }));
        Assert.That(report.Checks.Single(c => c.Name == "disk_voicemail").Detail, Does.Contain("voicemail").And.Contain("MB free"));
    }

    [Test]
    public async Task Json_NamesTheStatusTheFailedChecksAndEveryCheck()
    {
        var db = await MigratedAsync();
        var report = await Health(db, new AriHealth(AriConnectionState.Connecting, Since, 0, null), rules: 0).CheckAsync(default);
        using var json = JsonDocument.Parse(report.ToJson());
        var root = json.RootElement;
        Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("unhealthy"));
        Assert.That(root.GetProperty("failed").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "ari", "rules" }));
        var database = root.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "database");
        Assert.That(database.GetProperty("healthy").GetBoolean(), Is.True);
    }
}
