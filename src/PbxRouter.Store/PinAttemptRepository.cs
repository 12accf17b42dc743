using Dapper;

namespace PbxRouter.Store;

/// <summary>
/// PIN attempts kept across calls, so hanging up and calling again does not give three new tries: a scope (the practice's
/// feature codes, a voicemail box) locks after <c>maxWrong</c> wrong PINs in a row and stays locked for <c>lockFor</c>,
/// through engine restarts. Every attempt is kept (append-only audit); the PIN itself never is.
/// </summary>
public sealed class PinAttemptRepository(StoreDatabase db, TimeProvider time)
{
    /// <summary>Scope of a practice's feature codes.</summary>
    public static string FeatureCodesScope(string practiceId) => $"feature-codes:{practiceId}";

    /// <summary>Scope of a voicemail box.</summary>
    public static string VoicemailBoxScope(string box) => $"voicemail-box:{box}";

    /// <summary>Until when the scope is locked, or null when a PIN may be tried now.</summary>
    public Task<DateTimeOffset?> LockedUntilAsync(string scope, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        return db.ReadAsync<DateTimeOffset?>(async connection =>
        {
            var until = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "SELECT locked_until FROM pin_lockouts WHERE scope = @scope", new { scope }, cancellationToken: ct));
            return StoreTime.ParseOrNull(until) is { } at && at > time.GetUtcNow() ? at : null;
        });
    }

    /// <summary>
    /// Records an attempt and says what it leads to. A right PIN while the scope is locked is still refused (and recorded):
    /// the lock holds for its whole time. Wrong attempts count from the last accepted one or the end of the last lock.
    /// </summary>
    public Task<PinVerdict> RecordAsync(string scope, string triedBy, bool accepted, int maxWrong, TimeSpan lockFor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        ArgumentException.ThrowIfNullOrWhiteSpace(triedBy);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxWrong);
        return db.WriteAsync(async (connection, tx) =>
        {
            var now = time.GetUtcNow();
            var nowText = StoreTime.ToText(now);
            var lockedUntil = StoreTime.ParseOrNull(await connection.QuerySingleOrDefaultAsync<string?>(
                "SELECT locked_until FROM pin_lockouts WHERE scope = @scope", new { scope }, tx));
            var locked = lockedUntil is { } until && until > now;
            await connection.ExecuteAsync(
                "INSERT INTO pin_attempts (scope, tried_by, accepted, tried_at) VALUES (@scope, @triedBy, @ok, @nowText)",
                new { scope, triedBy, ok = accepted && !locked ? 1 : 0, nowText }, tx);
            if (locked) return new PinVerdict(false, 0, lockedUntil);
            if (accepted) return new PinVerdict(true, maxWrong, null);
            var since = lockedUntil is { } ended ? StoreTime.ToText(ended) : "";
            var wrong = await connection.ExecuteScalarAsync<int>("""
                SELECT COUNT(*) FROM pin_attempts
                WHERE scope = @scope AND accepted = 0 AND tried_at >= @since
                  AND id > COALESCE((SELECT MAX(id) FROM pin_attempts WHERE scope = @scope AND accepted = 1), 0)
                """, new { scope, since }, tx);
            if (wrong < maxWrong) return new PinVerdict(false, maxWrong - wrong, null);
            var untilText = StoreTime.ToText(now + lockFor);
            await connection.ExecuteAsync("""
                INSERT INTO pin_lockouts (scope, locked_at, locked_until, locked_by) VALUES (@scope, @nowText, @untilText, @triedBy)
                ON CONFLICT (scope) DO UPDATE SET locked_at = excluded.locked_at, locked_until = excluded.locked_until, locked_by = excluded.locked_by
                """, new { scope, nowText, untilText, triedBy }, tx);
            return new PinVerdict(false, 0, StoreTime.Parse(untilText));
        }, ct);
    }

    /// <summary>The latest attempts on a scope, newest first (audit).</summary>
    public Task<IReadOnlyList<PinAttempt>> HistoryAsync(string scope, int limit = 100, CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<PinAttempt>>(async connection =>
        {
            var rows = await connection.QueryAsync<(long Id, string Scope, string TriedBy, long Accepted, string TriedAt)>(new CommandDefinition(
                "SELECT id, scope, tried_by, accepted, tried_at FROM pin_attempts WHERE scope = @scope ORDER BY id DESC LIMIT @limit",
                new { scope, limit }, cancellationToken: ct));
            return rows.Select(r => new PinAttempt(r.Id, r.Scope, r.TriedBy, r.Accepted != 0, StoreTime.Parse(r.TriedAt))).ToList();
        });
}
