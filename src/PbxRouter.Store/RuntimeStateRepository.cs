using Dapper;

namespace PbxRouter.Store;

/// <summary>Runtime state set by people while the engine runs (practice modes); independent of rules versions.</summary>
public sealed class RuntimeStateRepository(StoreDatabase db, TimeProvider time)
{
    private const string ChangeColumns = """
        id AS Id, practice_id AS PracticeId, previous_mode AS PreviousMode, mode AS Mode,
        set_by AS SetBy, via AS Via, set_at AS SetAt, previous_forward_to AS PreviousForwardTo, forward_to AS ForwardTo
        """;

    /// <summary>Sets the mode of a practice (null = back to normal; either way any forward to a number ends) and appends the change to the audit table.</summary>
    public Task<PracticeMode> SetModeAsync(
        string practiceId, string? mode, string setBy, string via, CancellationToken ct = default) =>
        SetAsync(practiceId, mode, null, setBy, via, ct);

    /// <summary>Forwards every patient call of a practice to <paramref name="number"/> (E.164; replaces its mode), audited like a mode change.</summary>
    public Task<PracticeMode> SetForwardAsync(string practiceId, string number, string setBy, string via, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        return SetAsync(practiceId, null, number, setBy, via, ct);
    }

    private Task<PracticeMode> SetAsync(string practiceId, string? mode, string? forwardTo, string setBy, string via, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(practiceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(setBy);
        ArgumentException.ThrowIfNullOrWhiteSpace(via);
        return db.WriteAsync(async (connection, tx) =>
        {
            var at = StoreTime.ToText(time.GetUtcNow());
            var previous = await connection.QuerySingleOrDefaultAsync<PreviousRow?>(
                "SELECT mode AS Mode, forward_to AS ForwardTo FROM practice_modes WHERE practice_id = @practiceId", new { practiceId }, tx);
            await connection.ExecuteAsync("""
                INSERT INTO practice_modes (practice_id, mode, forward_to, set_by, via, set_at) VALUES (@practiceId, @mode, @forwardTo, @setBy, @via, @at)
                ON CONFLICT (practice_id) DO UPDATE
                SET mode = excluded.mode, forward_to = excluded.forward_to, set_by = excluded.set_by, via = excluded.via, set_at = excluded.set_at
                """, new { practiceId, mode, forwardTo, setBy, via, at }, tx);
            await connection.ExecuteAsync("""
                INSERT INTO mode_changes (practice_id, previous_mode, mode, previous_forward_to, forward_to, set_by, via, set_at)
                VALUES (@practiceId, @previousMode, @mode, @previousForward, @forwardTo, @setBy, @via, @at)
                """, new { practiceId, previousMode = previous?.Mode, mode, previousForward = previous?.ForwardTo, forwardTo, setBy, via, at }, tx);
            return new PracticeMode(practiceId, mode, setBy, via, StoreTime.Parse(at)) { ForwardTo = forwardTo };
        }, ct);
    }

    /// <summary>Every practice that ever had a mode set, keyed by practice id (practices never set are absent = normal).</summary>
    public Task<IReadOnlyDictionary<string, PracticeMode>> GetModesAsync(CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyDictionary<string, PracticeMode>>(async connection =>
        {
            var rows = await connection.QueryAsync<ModeRow>(new CommandDefinition(
                "SELECT practice_id AS PracticeId, mode AS Mode, forward_to AS ForwardTo, set_by AS SetBy, via AS Via, set_at AS SetAt FROM practice_modes",
                cancellationToken: ct));
            return rows.ToDictionary(
                r => r.PracticeId,
                r => new PracticeMode(r.PracticeId, r.Mode, r.SetBy, r.Via, StoreTime.Parse(r.SetAt)) { ForwardTo = r.ForwardTo },
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
                StoreTime.Parse(r.SetAt)) { PreviousForwardTo = r.PreviousForwardTo, ForwardTo = r.ForwardTo }).ToList();
        });
    }

    private sealed class PreviousRow
    {
        public string? Mode { get; set; }
        public string? ForwardTo { get; set; }
    }

    private sealed class ModeRow
    {
        public string PracticeId { get; set; } = "";
        public string? Mode { get; set; }
        public string? ForwardTo { get; set; }
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
        public string? PreviousForwardTo { get; set; }
        public string? ForwardTo { get; set; }
        public string SetBy { get; set; } = "";
        public string Via { get; set; } = "";
        public string SetAt { get; set; } = "";
    }
}
