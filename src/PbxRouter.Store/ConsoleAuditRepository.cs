using Dapper;

namespace PbxRouter.Store;

/// <summary>One thing a person did in the web console (or tried: a refused login): who, when, on which practice, what.</summary>
public sealed record ConsoleAuditEntry(long Id, DateTimeOffset At, string User, string? PracticeId, string Action, string Detail);

/// <summary>The web console's audit trail: append-only rows in console_audit.</summary>
public sealed class ConsoleAuditRepository(StoreDatabase db, TimeProvider time)
{
    public Task AddAsync(string user, string? practiceId, string action, string detail, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        return db.WriteAsync(async (connection, tx) =>
        {
            await connection.ExecuteAsync("""
                INSERT INTO console_audit (at, user_name, practice_id, action, detail) VALUES (@at, @user, @practiceId, @action, @detail)
                """, new { at = StoreTime.ToText(time.GetUtcNow()), user, practiceId, action, detail }, tx);
            return true;
        }, ct);
    }

    /// <summary>The latest rows first; only one practice's (and none of the platform's) when <paramref name="practiceId"/> is set.</summary>
    public Task<IReadOnlyList<ConsoleAuditEntry>> LatestAsync(string? practiceId, int limit = 100) =>
        db.ReadAsync<IReadOnlyList<ConsoleAuditEntry>>(async connection =>
        {
            var rows = await connection.QueryAsync<Row>("""
                SELECT id AS Id, at AS At, user_name AS UserName, practice_id AS PracticeId, action AS Action, detail AS Detail
                FROM console_audit WHERE @practiceId IS NULL OR practice_id = @practiceId ORDER BY id DESC LIMIT @limit
                """, new { practiceId, limit });
            return rows.Select(r => new ConsoleAuditEntry(r.Id, StoreTime.Parse(r.At), r.UserName, r.PracticeId, r.Action, r.Detail)).ToList();
        });

    private sealed class Row
    {
        public long Id { get; set; }
        public string At { get; set; } = "";
        public string UserName { get; set; } = "";
        public string? PracticeId { get; set; }
        public string Action { get; set; } = "";
        public string Detail { get; set; } = "";
    }
}
