using Dapper;

namespace PbxRouter.Store;

/// <summary>
/// The durable outbox of voicemail notifications: each one is written here before anything is sent, claimed
/// (pending -> sending) by one sender at a time, then marked sent, rescheduled or failed. A sent entry is never claimed again.
/// </summary>
public sealed class NotificationOutboxRepository(StoreDatabase db, TimeProvider time)
{
    private const string Columns = """
        id AS Id, message_id AS MessageId, practice_id AS PracticeId, box AS Box, urgent AS Urgent, target_kind AS TargetKind,
        target AS Target, payload AS Payload, state AS State, attempts AS Attempts, next_attempt_at AS NextAttemptAt,
        last_error AS LastError, created_at AS CreatedAt, updated_at AS UpdatedAt, sent_at AS SentAt
        """;

    /// <summary>
    /// Writes the entries (due now) in one transaction and returns their ids; an entry whose message and target are already
    /// in the outbox is not written again (its existing id is returned), so a message is notified once per target.
    /// </summary>
    public Task<IReadOnlyList<long>> EnqueueAsync(IReadOnlyList<NewOutboxEntry> entries, CancellationToken ct = default) =>
        db.WriteAsync<IReadOnlyList<long>>(async (connection, tx) =>
        {
            var now = StoreTime.ToText(time.GetUtcNow());
            var ids = new List<long>();
            foreach (var e in entries)
            {
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO notification_outbox (message_id, practice_id, box, urgent, target_kind, target, payload, state,
                        attempts, next_attempt_at, created_at, updated_at)
                    VALUES (@MessageId, @PracticeId, @Box, @Urgent, @TargetKind, @Target, @Payload, 'pending', 0, @now, @now, @now)
                    ON CONFLICT (message_id, target_kind, target) DO NOTHING
                    """, new { e.MessageId, e.PracticeId, e.Box, e.Urgent, e.TargetKind, e.Target, e.Payload, now }, tx, cancellationToken: ct));
                ids.Add(await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT id FROM notification_outbox WHERE message_id = @MessageId AND target_kind = @TargetKind AND target = @Target",
                    new { e.MessageId, e.TargetKind, e.Target }, tx, cancellationToken: ct)));
            }
            return ids;
        }, ct);

    /// <summary>
    /// Claims pending entries that are due (all due ones, or only <paramref name="onlyIds"/>): they become `sending` with one
    /// more attempt counted, in one transaction, so two senders never claim the same entry.
    /// </summary>
    public Task<IReadOnlyList<OutboxEntry>> ClaimDueAsync(int limit, IReadOnlyCollection<long>? onlyIds = null, CancellationToken ct = default) =>
        db.WriteAsync<IReadOnlyList<OutboxEntry>>(async (connection, tx) =>
        {
            var now = StoreTime.ToText(time.GetUtcNow());
            var filter = onlyIds is null ? "" : "AND id IN @onlyIds";
            var rows = await connection.QueryAsync<Row>(new CommandDefinition($"""
                UPDATE notification_outbox SET state = 'sending', attempts = attempts + 1, updated_at = @now
                WHERE id IN (SELECT id FROM notification_outbox WHERE state = 'pending' AND next_attempt_at <= @now {filter}
                             ORDER BY urgent DESC, next_attempt_at, id LIMIT @limit)
                RETURNING {Columns}
                """, new { now, limit, onlyIds = onlyIds?.ToArray() ?? [] }, tx, cancellationToken: ct));
            return rows.Select(r => r.ToEntry()).OrderBy(e => e.Id).ToList();
        }, ct);

    /// <summary>Entries by state (pending, sending, sent, failed), for metrics.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByStateAsync(CancellationToken ct = default) =>
        await db.ReadAsync(async connection => (await connection.QueryAsync<(string State, long Count)>(new CommandDefinition(
            "SELECT state, COUNT(*) FROM notification_outbox GROUP BY state", cancellationToken: ct)))
            .ToDictionary(r => r.State, r => r.Count, StringComparer.Ordinal));

    /// <summary>Marks a claimed entry delivered.</summary>
    public Task MarkSentAsync(long id, CancellationToken ct = default) =>
        db.WriteAsync(async (connection, tx) =>
        {
            var now = StoreTime.ToText(time.GetUtcNow());
            return await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE notification_outbox SET state = 'sent', sent_at = @now, updated_at = @now, last_error = NULL
                WHERE id = @id AND state = 'sending'
                """, new { id, now }, tx, cancellationToken: ct));
        }, ct);

    /// <summary>Records a failed attempt: pending again at <paramref name="retryAt"/>, or `failed` for good when it is null.</summary>
    public Task MarkAttemptFailedAsync(long id, string error, DateTimeOffset? retryAt, CancellationToken ct = default) =>
        db.WriteAsync(async (connection, tx) =>
        {
            var now = StoreTime.ToText(time.GetUtcNow());
            return await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE notification_outbox
                SET state = CASE WHEN @retryAt IS NULL THEN 'failed' ELSE 'pending' END,
                    next_attempt_at = COALESCE(@retryAt, next_attempt_at), last_error = @error, updated_at = @now
                WHERE id = @id AND state = 'sending'
                """, new { id, error, retryAt = retryAt is { } r ? StoreTime.ToText(r) : null, now }, tx, cancellationToken: ct));
        }, ct);

    /// <summary>
    /// Entries a previous engine claimed and never finished (it stopped mid-send) become pending again, due now; returns how many.
    /// Run once by the dispatcher when it starts, before it claims anything.
    /// </summary>
    public Task<int> ReleaseInterruptedAsync(CancellationToken ct = default) =>
        db.WriteAsync(async (connection, tx) =>
        {
            var now = StoreTime.ToText(time.GetUtcNow());
            return await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE notification_outbox SET state = 'pending', next_attempt_at = @now, updated_at = @now,
                    last_error = COALESCE(last_error, 'interrupted: the engine stopped while sending')
                WHERE state = 'sending'
                """, new { now }, tx, cancellationToken: ct));
        }, ct);

    /// <summary>Puts a failed entry back to pending, due now, with its attempts reset; false if it is not failed.</summary>
    public Task<bool> RetryAsync(long id, CancellationToken ct = default) =>
        db.WriteAsync(async (connection, tx) =>
        {
            var now = StoreTime.ToText(time.GetUtcNow());
            return await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE notification_outbox SET state = 'pending', attempts = 0, next_attempt_at = @now, updated_at = @now
                WHERE id = @id AND state = 'failed'
                """, new { id, now }, tx, cancellationToken: ct)) == 1;
        }, ct);

    /// <summary>When the earliest pending entry is due; null when nothing is pending.</summary>
    public Task<DateTimeOffset?> NextDueAsync(CancellationToken ct = default) =>
        db.ReadAsync(async connection =>
        {
            var text = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT MIN(next_attempt_at) FROM notification_outbox WHERE state = 'pending'", cancellationToken: ct));
            return StoreTime.ParseOrNull(text);
        });

    /// <summary>Entries in the given states (all when empty), newest first.</summary>
    public Task<IReadOnlyList<OutboxEntry>> ListAsync(IReadOnlyCollection<string> states, int limit, CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<OutboxEntry>>(async connection =>
        {
            var filter = states.Count == 0 ? "" : "WHERE state IN @states";
            var rows = await connection.QueryAsync<Row>(new CommandDefinition(
                $"SELECT {Columns} FROM notification_outbox {filter} ORDER BY id DESC LIMIT @limit",
                new { states = states.ToArray(), limit }, cancellationToken: ct));
            return rows.Select(r => r.ToEntry()).ToList();
        });

    /// <summary>These entries as they are now (unknown ids are left out).</summary>
    public Task<IReadOnlyList<OutboxEntry>> GetAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<OutboxEntry>>(async connection =>
        {
            var rows = await connection.QueryAsync<Row>(new CommandDefinition(
                $"SELECT {Columns} FROM notification_outbox WHERE id IN @ids ORDER BY id", new { ids = ids.ToArray() }, cancellationToken: ct));
            return rows.Select(r => r.ToEntry()).ToList();
        });

    private sealed class Row
    {
        public long Id { get; set; }
        public string MessageId { get; set; } = "";
        public string PracticeId { get; set; } = "";
        public string Box { get; set; } = "";
        public long Urgent { get; set; }
        public string TargetKind { get; set; } = "";
        public string Target { get; set; } = "";
        public string Payload { get; set; } = "";
        public string State { get; set; } = "";
        public long Attempts { get; set; }
        public string NextAttemptAt { get; set; } = "";
        public string? LastError { get; set; }
        public string CreatedAt { get; set; } = "";
        public string UpdatedAt { get; set; } = "";
        public string? SentAt { get; set; }

        public OutboxEntry ToEntry() => new(Id, MessageId, PracticeId, Box, Urgent != 0, TargetKind, Target, Payload, State, (int)Attempts,
            StoreTime.Parse(NextAttemptAt), LastError, StoreTime.Parse(CreatedAt), StoreTime.Parse(UpdatedAt), StoreTime.ParseOrNull(SentAt));
    }
}
