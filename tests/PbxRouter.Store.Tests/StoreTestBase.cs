using Microsoft.Data.Sqlite;

namespace PbxRouter.Store.Tests;

/// <summary>A fresh, migrated database file in a temp directory and a fake clock, per test.</summary>
public abstract class StoreTestBase
{
    protected static readonly DateTimeOffset Start = new(2025, 3, 10, 8, 0, 0, TimeSpan.Zero);

    private string _directory = "";

    protected StoreDatabase Db { get; private set; } = null!;
    protected FakeTimeProvider Time { get; private set; } = null!;
    protected string DbPath => Path.Combine(_directory, "pbxrouter.db");

    [SetUp]
    public async Task CreateDatabase()
    {
        _directory = Path.Combine(Path.GetTempPath(), "pbxrouter-store-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        Time = new FakeTimeProvider(Start);
        Db = new StoreDatabase(DbPath, Time);
        await Db.MigrateAsync(CancellationToken.None);
    }

    [TearDown]
    public void DeleteDatabase()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    protected void Execute(string sql)
    {
        using var connection = Db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    protected long Count(string table)
    {
        using var connection = Db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }
}
