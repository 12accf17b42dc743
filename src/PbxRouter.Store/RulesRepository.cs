using Dapper;
using Microsoft.Data.Sqlite;

namespace PbxRouter.Store;

/// <summary>Numbered, append-only rules versions: apply, read, history, rollback and the active-version poll.</summary>
public sealed class RulesRepository(StoreDatabase db, TimeProvider time)
{
    private const string VersionColumns = """
        v.number AS Number, v.applied_at AS AppliedAt, v.applied_by AS AppliedBy, v.content_hash AS ContentHash,
        v.comment AS Comment, v.source_count AS SourceCount, (a.version IS NOT NULL) AS IsActive
        """;

    private const string VersionFrom = "FROM rules_versions v LEFT JOIN rules_active a ON a.version = v.number";

    /// <summary>Stores the rules as a new active version in one transaction, or returns the active one flagged Unchanged.</summary>
    public Task<RulesVersion> ApplyAsync(RulesApplication app, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(app.Files);
        ArgumentNullException.ThrowIfNull(app.CompiledJson);
        ArgumentException.ThrowIfNullOrWhiteSpace(app.ContentHash);
        ArgumentException.ThrowIfNullOrWhiteSpace(app.AppliedBy);
        for (var i = 0; i < app.Files.Count; i++)
        {
            if (app.Files[i] is not { Path: not null, Text: not null })
                throw new ArgumentException($"rules source file #{i + 1} has no path or no text", nameof(app));
        }
        return db.WriteAsync((connection, tx) => InsertVersionAsync(connection, tx, app, rollbackOf: null), ct);
    }

    /// <summary>The version the engine should run, or null before the first apply.</summary>
    public Task<RulesVersion?> GetActiveAsync(CancellationToken ct = default) =>
        db.ReadAsync(connection => ActiveAsync(connection, null, ct));

    /// <summary>The active version number (0 before the first apply); one indexed read, fine to poll every second.</summary>
    public Task<int> ActiveVersionNumberAsync(CancellationToken ct = default) =>
        db.ReadAsync(async connection => (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE((SELECT version FROM rules_active WHERE id = 1), 0)", cancellationToken: ct)));

    /// <summary>A version with its source files and compiled JSON, or null if it was never applied.</summary>
    public Task<StoredRules?> GetAsync(int version, CancellationToken ct = default) =>
        db.ReadAsync(connection => LoadAsync(connection, null, version, ct));

    /// <summary>The latest <paramref name="limit"/> versions, newest first.</summary>
    public Task<IReadOnlyList<RulesVersion>> HistoryAsync(int limit = 50, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return db.ReadAsync<IReadOnlyList<RulesVersion>>(async connection =>
        {
            var rows = await connection.QueryAsync<VersionRow>(new CommandDefinition(
                $"SELECT {VersionColumns} {VersionFrom} ORDER BY v.number DESC LIMIT @limit",
                new { limit }, cancellationToken: ct));
            return rows.Select(r => r.ToVersion()).ToList();
        });
    }

    /// <summary>
    /// Makes a new active version whose content copies version <paramref name="version"/>, commented "rollback of N".
    /// If that content is already active nothing is stored and the active version comes back flagged Unchanged.
    /// </summary>
    public Task<RulesVersion> RollbackAsync(int version, string appliedBy, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appliedBy);
        return db.WriteAsync(async (connection, tx) =>
        {
            var source = await LoadAsync(connection, tx, version, ct)
                ?? throw new RulesVersionNotFoundException(version, await LatestNumberAsync(connection, tx));
            var copy = new RulesApplication(source.Files, source.CompiledJson, source.Version.ContentHash,
                appliedBy, $"rollback of {version}");
            return await InsertVersionAsync(connection, tx, copy, rollbackOf: version);
        }, ct);
    }

    private async Task<RulesVersion> InsertVersionAsync(
        SqliteConnection connection, SqliteTransaction tx, RulesApplication app, int? rollbackOf)
    {
        var active = await ActiveAsync(connection, tx, CancellationToken.None);
        if (active is not null && string.Equals(active.ContentHash, app.ContentHash, StringComparison.Ordinal))
            return active with { Unchanged = true };

        var number = await LatestNumberAsync(connection, tx) + 1;
        var appliedAt = time.GetUtcNow();
        var at = StoreTime.ToText(appliedAt);
        await connection.ExecuteAsync("""
            INSERT INTO rules_versions (number, applied_at, applied_by, content_hash, comment, source_count, rollback_of)
            VALUES (@number, @at, @AppliedBy, @ContentHash, @Comment, @count, @rollbackOf)
            """, new { number, at, app.AppliedBy, app.ContentHash, app.Comment, count = app.Files.Count, rollbackOf }, tx);
        await connection.ExecuteAsync(
            "INSERT INTO rules_sources (version, ordinal, path, text) VALUES (@number, @ordinal, @Path, @Text)",
            app.Files.Select((f, i) => new { number, ordinal = i, f.Path, f.Text }), tx);
        await connection.ExecuteAsync(
            "INSERT INTO rules_compiled (version, compiled_json) VALUES (@number, @json)",
            new { number, json = app.CompiledJson }, tx);
        await connection.ExecuteAsync("""
            INSERT INTO rules_active (id, version, activated_at) VALUES (1, @number, @at)
            ON CONFLICT (id) DO UPDATE SET version = excluded.version, activated_at = excluded.activated_at
            """, new { number, at }, tx);
        return new RulesVersion(number, StoreTime.Parse(at), app.AppliedBy, app.ContentHash, app.Comment,
            app.Files.Count, IsActive: true);
    }

    private static async Task<RulesVersion?> ActiveAsync(SqliteConnection connection, SqliteTransaction? tx, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<VersionRow>(new CommandDefinition(
            $"SELECT {VersionColumns} FROM rules_active a JOIN rules_versions v ON v.number = a.version WHERE a.id = 1",
            transaction: tx, cancellationToken: ct));
        return row?.ToVersion();
    }

    private static async Task<StoredRules?> LoadAsync(
        SqliteConnection connection, SqliteTransaction? tx, int version, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<VersionRow>(new CommandDefinition(
            $"SELECT {VersionColumns} {VersionFrom} WHERE v.number = @version", new { version }, tx, cancellationToken: ct));
        if (row is null)
            return null;
        var files = await connection.QueryAsync<SourceRow>(new CommandDefinition(
            "SELECT path AS Path, text AS Text FROM rules_sources WHERE version = @version ORDER BY ordinal",
            new { version }, tx, cancellationToken: ct));
        var json = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT compiled_json FROM rules_compiled WHERE version = @version", new { version }, tx, cancellationToken: ct));
        return new StoredRules(row.ToVersion(), files.Select(f => new RulesSourceFile(f.Path, f.Text)).ToList(), json ?? "");
    }

    private static async Task<int> LatestNumberAsync(SqliteConnection connection, SqliteTransaction? tx) =>
        (int)await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(number), 0) FROM rules_versions", transaction: tx);

    private sealed class VersionRow
    {
        public long Number { get; set; }
        public string AppliedAt { get; set; } = "";
        public string AppliedBy { get; set; } = "";
        public string ContentHash { get; set; } = "";
        public string? Comment { get; set; }
        public long SourceCount { get; set; }
        public long IsActive { get; set; }

        public RulesVersion ToVersion() => new((int)Number, StoreTime.Parse(AppliedAt), AppliedBy, ContentHash,
            Comment, (int)SourceCount, IsActive != 0);
    }

    private sealed class SourceRow
    {
        public string Path { get; set; } = "";
        public string Text { get; set; } = "";
    }
}
