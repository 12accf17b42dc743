using Microsoft.Data.Sqlite;
using PbxRouter.Store;

namespace PbxRouter.Backup;

/// <summary>Copying the SQLite database while the engine runs, and checking a copy.</summary>
internal static class DatabaseCopy
{
    /// <summary>The failures a backup or restore reports (and cleans up after) rather than crashes on.</summary>
    public static bool IsCopyProblem(Exception ex) => ex is IOException or UnauthorizedAccessException or SqliteException or StoreException;

    /// <summary>The SQLite online backup API: a consistent copy even while the engine writes (it retries pages that change).</summary>
    public static async Task<int> CopyOnlineAsync(string source, string target, CancellationToken ct)
    {
        FileModes.CreatePrivateFolder(Path.GetDirectoryName(target)!);
        var from = new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 30 }.ToString();
        var to = new SqliteConnectionStringBuilder { DataSource = target, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString();
        await using (var src = new SqliteConnection(from))
        await using (var dst = new SqliteConnection(to))
        {
            await src.OpenAsync(ct);
            using (var busy = src.CreateCommand())
            {
                busy.CommandText = "PRAGMA busy_timeout=30000;";
                await busy.ExecuteNonQueryAsync(ct);
            }
            await dst.OpenAsync(ct);
            src.BackupDatabase(dst);
            // One self-contained file (no -wal beside it).
            using var single = dst.CreateCommand();
            single.CommandText = "PRAGMA journal_mode=DELETE;";
            await single.ExecuteNonQueryAsync(ct);
        }
        FileModes.Set(target, FileModes.Get(source));
        return await CheckAsync(target, ct);
    }

    /// <summary>The file's schema version, after SQLite's integrity check (read-only: the file stays as it is, one file, no WAL).</summary>
    public static async Task<int> CheckAsync(string path, CancellationToken ct)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(cs);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        var integrity = (string?)await command.ExecuteScalarAsync(ct);
        if (integrity != "ok") throw new IOException($"{path}: SQLite integrity check failed: {integrity}");
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations';";
        if ((long)(await command.ExecuteScalarAsync(ct))! == 0) return 0;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;";
        return (int)(long)(await command.ExecuteScalarAsync(ct))!;
    }
}
