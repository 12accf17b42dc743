using Microsoft.Data.Sqlite;

namespace PbxRouter.Store.Tests;

public sealed class StoreDatabaseTests : StoreTestBase
{
    [Test]
    public async Task Migrate_OnNewFile_AppliesEveryMigrationOnceWithTime()
    {
        Assert.That(await Db.SchemaVersionAsync(), Is.EqualTo(StoreDatabase.KnownSchemaVersion));
        Assert.That(Count("schema_migrations"), Is.EqualTo(StoreDatabase.KnownSchemaVersion));
        using var connection = Db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT applied_at FROM schema_migrations WHERE version = 1";
        Assert.That(command.ExecuteScalar(), Is.EqualTo("2025-03-10T08:00:00.000Z"));
    }

    [Test]
    public async Task Migrate_RunTwice_IsIdempotent()
    {
        Time.Advance(TimeSpan.FromHours(1));
        await Db.MigrateAsync(CancellationToken.None);
        await new StoreDatabase(DbPath, Time).MigrateAsync(CancellationToken.None);

        Assert.That(Count("schema_migrations"), Is.EqualTo(StoreDatabase.KnownSchemaVersion));
    }

    [Test]
    public async Task Migrate_FromEmptyFile_ReportsVersionZeroFirst()
    {
        var fresh = new StoreDatabase(DbPath + ".other", Time);
        Assert.That(await fresh.SchemaVersionAsync(), Is.Zero);
        await fresh.MigrateAsync(CancellationToken.None);
        Assert.That(await fresh.SchemaVersionAsync(), Is.EqualTo(StoreDatabase.KnownSchemaVersion));
    }

    [Test]
    public void Migrate_SchemaNewerThanBinary_ThrowsUpgradeMessage()
    {
        Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', '2030-01-01T00:00:00.000Z')");

        var e = Assert.ThrowsAsync<StoreSchemaTooNewException>(() => Db.MigrateAsync(CancellationToken.None));

        Assert.That(e!.Message, Is.EqualTo(
            $"database schema version 99 is newer than this pbxrouter (knows {StoreDatabase.KnownSchemaVersion}): upgrade pbxrouter"));
    }

    [Test]
    public void Open_SetsWalForeignKeysAndBusyTimeout()
    {
        using var connection = Db.Open();
        Assert.Multiple(() =>
        {
            Assert.That(Pragma(connection, "journal_mode"), Is.EqualTo("wal"));
            Assert.That(Pragma(connection, "foreign_keys"), Is.EqualTo(1L));
            Assert.That(Pragma(connection, "busy_timeout"), Is.EqualTo(5000L));
            Assert.That(Pragma(connection, "synchronous"), Is.EqualTo(1L)); // 1 = NORMAL
        });
    }

    [Test]
    public void Open_DirectoryMissing_SaysWhichFile()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "x.db");
        var e = Assert.Throws<StoreException>(() => new StoreDatabase(missing).Open().Dispose());
        Assert.That(e!.Message, Does.Contain(missing).And.Contain("directory exists"));
    }

    [Test]
    public void Repository_OnUnmigratedFile_SaysRunMigrations()
    {
        var bare = new StoreDatabase(DbPath + ".bare", Time);
        var e = Assert.ThrowsAsync<StoreException>(() => new RulesRepository(bare, Time).ActiveVersionNumberAsync());
        Assert.That(e!.Message, Does.Contain("run the migrations"));
    }

    [Test]
    public void Write_WhileAnotherWriterHoldsTheLock_ThrowsLockedAfterTimeout()
    {
        using var holder = Db.Open();
        using var tx = holder.BeginTransaction(); // BEGIN IMMEDIATE: holds the write lock

        var e = Assert.ThrowsAsync<StoreException>(() =>
            new RuntimeStateRepository(Db, Time).SetModeAsync("p1", "absent", "Dr A", "feature-code *21"));

        Assert.That(e!.Message, Does.Contain("is locked"));
    }

    [Test]
    public void Constructor_MemoryPath_IsRejected() =>
        Assert.Throws<ArgumentException>(() => _ = new StoreDatabase(":memory:"));

    private static object? Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return command.ExecuteScalar();
    }
}
