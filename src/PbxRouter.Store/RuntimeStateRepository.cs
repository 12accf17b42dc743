using Dapper;

namespace PbxRouter.Store;

/// <summary>Runtime state set by people while the engine runs (practice modes); independent of rules versions.</summary>
public sealed class RuntimeStateRepository(StoreDatabase db, TimeProvider time)
{
    private const string ChangeColumns = """
        id AS Id, practice_id AS PracticeId, previous_mode AS PreviousMode, mode AS Mode,
        set_by AS SetBy, via AS Via, set_at AS SetAt
        """;

    /// <summary>Sets the mode of a practice (null = back to normal) and appends the change to the audit table.</summary>
    public Task<PracticeMode> SetModeAsync(
        string practiceId, string? mode, string setBy, string via, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(practiceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(setBy);
        ArgumentException.ThrowIfNullOrWhiteSpace(via);
        return db.WriteAsync(async (connection, tx) =>
        {
            var at = StoreTime.ToText(time.GetUtcNow());
            var previous = await connection.QuerySingleOrDefaultAsync<string?>(
                "SELECT mode FROM practice_modes WHERE practice_id = @practiceId", new { practiceId }, tx);
            await connection.ExecuteAsync("""
                INSERT INTO practice_modes (practice_id, mode, set_by, via, set_at) VALUES (@practiceId, @mode, @setBy, @via, @at)
                ON CONFLICT (practice_id) DO UPDATE
                SET mode = excluded.mode, set_by = excluded.set_by, via = excluded.via, set_at = excluded.set_at
                """, new { practiceId, mode, setBy, via, at }, tx);
            await connection.ExecuteAsync("""
                INSERT INTO mode_changes (practice_id, previous_mode, mode, set_by, via, set_at)
                VALUES (@practiceId, @previous, @mode, @setBy, @via, @at)
                """, new { practiceId, previous, mode, setBy, via, at }, tx);
            return new PracticeMode(practiceId, mode, setBy, via, StoreTime.Parse(at));
        }, ct);
    }

    /// <summary>Every practice that ever had a mode set, keyed by practice id (practices never set are absent = normal).</summary>
    public Task<IReadOnlyDictionary<string, PracticeMode>> GetModesAsync(CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyDictionary<string, PracticeMode>>(async connection =>
        {
            var rows = await connection.QueryAsync<ModeRow>(new CommandDefinition(
                "SELECT practice_id AS PracticeId, mode AS Mode, set_by AS SetBy, via AS Via, set_at AS SetAt FROM practice_modes",
                cancellationToken: ct));
            return rows.ToDictionary(
                r => r.PracticeId,
                r => new PracticeMode(r.PracticeId, r.Mode, r.SetBy, r.Via, StoreTime.Parse(r.SetAt)),
                StringComparer.Ordinal);
        });

    /// <summary>The latest mode changes of a practice, newest first.</summary>
    public Task<IReadOnlyList<ModeChange>> HistoryAsync(string practiceId, int limit = 100, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(practiceId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return db.ReadAsync<IReadOnlyList<ModeChange>>(async connection =>
        {
            var rows = await connection.QueryAsync<ChangeRow>(new CommandDefinition(
                $"SELECT {ChangeColumns} FROM mode_changes WHERE practice_id = @practiceId ORDER BY id DESC LIMIT @limit",
                new { practiceId, limit }, cancellationToken: ct));
            return rows.Select(r => new ModeChange(r.Id, r.PracticeId, r.PreviousMode, r.Mode, r.SetBy, r.Via,
                StoreTime.Parse(r.SetAt))).ToList();
        });
    }

    private sealed class ModeRow
    {
        public string PracticeId { get; set; } = "";
        public string? Mode { get; set; }
        public string SetBy { get; set; } = "";
        public string Via { get; set; } = "";
        public string SetAt { get; set; } = "";
    }

    private sealed class ChangeRow
    {
        public long Id { get; set; }
        public string PracticeId { get; set; } = "";
        public string? PreviousMode { get; set; }
        public string? Mode { get; set; }
        public string SetBy { get; set; } = "";
        public string Via { get; set; } = "";
        public string SetAt { get; set; } = "";
    }
}
