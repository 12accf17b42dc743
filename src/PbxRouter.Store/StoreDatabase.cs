using Dapper;
using Microsoft.Data.Sqlite;

namespace PbxRouter.Store;

/// <summary>The SQLite file of PbxRouter: opens tuned connections and applies numbered schema migrations.</summary>
public sealed class StoreDatabase
{
    // journal_mode is persistent in the file; the others are per connection (pooled connections keep them).
    private const string ConnectionPragmas =
        "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;";

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private int _walSet;

    public StoreDatabase(string path) : this(path, TimeProvider.System) { }

    public StoreDatabase(string path, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (path.Trim() == ":memory:")
            throw new ArgumentException("an in-memory database is private to one connection: use a file path (a temp file in tests)", nameof(path));
        Path = path;
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 5, // the driver retries SQLITE_BUSY for this long on top of busy_timeout
        }.ToString();
    }

    /// <summary>The schema version this binary knows how to use.</summary>
    public static int KnownSchemaVersion => Migrations.Latest;

    public string Path { get; }

    /// <summary>Told the duration of every committed write and every finished call record (metrics); null: nobody.</summary>
    public IStoreObserver? Observer { get; set; }

    /// <summary>
    /// Proves the file writable without changing it: takes the write lock (BEGIN IMMEDIATE), rewrites the newest migration
    /// row, rolls back. Throws a <see cref="StoreException"/> saying why when it cannot (read-only, locked, corrupt, missing).
    /// </summary>
    public async Task CheckWritableAsync(CancellationToken ct = default)
    {
        try
        {
            await using var connection = Open();
            await using var tx = connection.BeginTransaction();
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE schema_migrations SET name = name WHERE version = (SELECT MAX(version) FROM schema_migrations)",
                transaction: tx, cancellationToken: ct));
            await tx.RollbackAsync(ct);
        }
        catch (SqliteException e)
        {
            throw Translate(e);
        }
    }

    /// <summary>Opens a connection with WAL, synchronous=NORMAL, foreign keys and a 5 s busy timeout.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            var firstOpen = Volatile.Read(ref _walSet) == 0;
            using var command = connection.CreateCommand();
            command.CommandText = firstOpen ? "PRAGMA journal_mode=WAL; " + ConnectionPragmas : ConnectionPragmas;
            command.ExecuteNonQuery();
            if (firstOpen)
                Volatile.Write(ref _walSet, 1);
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw Translate(e);
        }
    }

    /// <summary>Applies every migration newer than the database, each in its own transaction; safe to run repeatedly.</summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        try
        {
            await using var connection = Open();
            await connection.ExecuteAsync(new CommandDefinition("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version     INTEGER PRIMARY KEY,
                    name        TEXT NOT NULL,
                    applied_at  TEXT NOT NULL
                )
                """, cancellationToken: ct));
            var known = await CurrentVersionAsync(connection, null);
            if (known > Migrations.Latest)
                throw new StoreSchemaTooNewException(known, Migrations.Latest);
            foreach (var migration in Migrations.All.Where(m => m.Version > known))
            {
                ct.ThrowIfCancellationRequested();
                await using var tx = connection.BeginTransaction(); // BEGIN IMMEDIATE: two processes migrating serialize here
                var current = await CurrentVersionAsync(connection, tx);
                if (current > Migrations.Latest)
                    throw new StoreSchemaTooNewException(current, Migrations.Latest);
                if (migration.Version <= current)
                    continue;
                await connection.ExecuteAsync(migration.Sql, transaction: tx);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
                    new { migration.Version, migration.Name, At = StoreTime.ToText(_time.GetUtcNow()) }, tx);
                await tx.CommitAsync(ct);
            }
        }
        catch (SqliteException e)
        {
            throw Translate(e);
        }
    }

    /// <summary>The highest migration applied to the file (0 for an empty file).</summary>
    public async Task<int> SchemaVersionAsync(CancellationToken ct = default)
    {
        return await ReadAsync(async connection =>
        {
            var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", cancellationToken: ct));
            return exists == 0 ? 0 : await CurrentVersionAsync(connection, null);
        });
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE) and commits it.</summary>
    internal async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct)
    {
        try
        {
            var started = _time.GetTimestamp();
            await using var connection = Open();
            await using var tx = connection.BeginTransaction();
            var result = await work(connection, tx);
            await tx.CommitAsync(ct);
            Observer?.Wrote("transaction", _time.GetElapsedTime(started));
            return result;
        }
        catch (SqliteException e)
        {
            throw Translate(e);
        }
    }

    /// <summary>Runs <paramref name="work"/> on a fresh connection outside any explicit transaction.</summary>
    internal async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work)
    {
        try
        {
            await using var connection = Open();
            return await work(connection);
        }
        catch (SqliteException e)
        {
            throw Translate(e);
        }
    }

    /// <summary>Turns a raw SQLite error into a message that says what happened to which file and what to do.</summary>
    internal StoreException Translate(SqliteException e) => e.SqliteErrorCode switch
    {
        5 or 6 => new StoreException(
            $"database {Path} is locked: another writer held it for more than 5 s; retry, or look for a stuck pbxrouter process", e),
        8 => new StoreException($"database {Path} is read-only: check the file and directory permissions", e),
        11 or 26 => new StoreException($"database {Path} is corrupt or not a SQLite file: restore it from a backup", e),
        13 => new StoreException($"database {Path} cannot grow: the disk is full", e),
        14 => new StoreException($"cannot open database {Path}: check that the directory exists and is writable", e),
        1 when e.Message.Contains("no such table", StringComparison.Ordinal) => new StoreException(
            $"database {Path} has no PbxRouter schema or an old one ({e.Message}): run the migrations first", e),
        _ => new StoreException($"database {Path}: {e.Message}", e),
    };

    private static async Task<int> CurrentVersionAsync(SqliteConnection connection, SqliteTransaction? tx) =>
        (int)await connection.ExecuteScalarAsync<long>(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", transaction: tx);
}
