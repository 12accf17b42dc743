using Dapper;
using Microsoft.Data.Sqlite;

namespace PbxRouter.Store;

/// <summary>The voicemail index with an append-only access log of who listened to or deleted which message.</summary>
public sealed class VoicemailRepository(StoreDatabase db, TimeProvider time)
{
    /// <summary>The name written in the access log for messages removed by the retention limit.</summary>
    public const string RetentionActor = "retention";

    private const string MessageColumns = VoicemailMessageRow.Columns;

    /// <summary>Indexes a new message; its id must be new.</summary>
    public Task AddAsync(VoicemailMessage m, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentException.ThrowIfNullOrWhiteSpace(m.Id);
        ArgumentException.ThrowIfNullOrWhiteSpace(m.Box);
        ArgumentException.ThrowIfNullOrWhiteSpace(m.PracticeId);
        ArgumentException.ThrowIfNullOrWhiteSpace(m.RecordingName);
        ArgumentOutOfRangeException.ThrowIfNegative(m.DurationSeconds);
        return db.WriteAsync(async (connection, tx) =>
        {
            var added = await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO voicemails (id, box, practice_id, caller_number, recorded_at, duration_s, recording_name, urgent, call_id)
                VALUES (@Id, @Box, @PracticeId, @CallerNumber, @at, @DurationSeconds, @RecordingName, @Urgent, @CallId)
                ON CONFLICT (id) DO NOTHING
                """, new { m.Id, m.Box, m.PracticeId, m.CallerNumber, at = StoreTime.ToText(m.RecordedAt), m.DurationSeconds,
                m.RecordingName, m.Urgent, m.CallId }, tx, cancellationToken: ct));
            return added == 1 ? true : throw new StoreException($"voicemail {m.Id} is already indexed: voicemail ids must be unique");
        }, ct);
    }

    /// <summary>The messages of a box, urgent first then newest first; listened ones only if asked.</summary>
    public Task<IReadOnlyList<VoicemailMessage>> ListAsync(string box, bool includeListened, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(box);
        return db.ReadAsync<IReadOnlyList<VoicemailMessage>>(async connection =>
        {
            var rows = await connection.QueryAsync<VoicemailMessageRow>(new CommandDefinition($"""
                SELECT {MessageColumns} FROM voicemails
                WHERE box = @box AND (@includeListened OR listened_at IS NULL)
                ORDER BY urgent DESC, recorded_at DESC, id
                """, new { box, includeListened }, cancellationToken: ct));
            return rows.Select(r => r.ToMessage()).ToList();
        });
    }

    /// <summary>One message by its id; null when it is not (or no longer) in the index.</summary>
    public Task<VoicemailMessage?> GetAsync(string id, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return db.ReadAsync(async connection =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<VoicemailMessageRow>(new CommandDefinition(
                $"SELECT {MessageColumns} FROM voicemails WHERE id = @id", new { id }, cancellationToken: ct));
            return row?.ToMessage();
        });
    }

    /// <summary>Marks a message listened (first listener and time are kept) and logs this access; false if unknown.</summary>
    public Task<bool> MarkListenedAsync(string id, string by, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        return db.WriteAsync(async (connection, tx) =>
        {
            var at = StoreTime.ToText(time.GetUtcNow());
            var box = await BoxOfAsync(connection, tx, id);
            if (box is null)
                return false;
            await connection.ExecuteAsync("""
                UPDATE voicemails SET listened_at = COALESCE(listened_at, @at), listened_by = COALESCE(listened_by, @by)
                WHERE id = @id
                """, new { id, at, by }, tx);
            await LogAsync(connection, tx, id, box, "listened", by, at);
            return true;
        }, ct);
    }

    /// <summary>Removes a message from the index and logs who deleted it; false if unknown. The caller deletes the audio file.</summary>
    public Task<bool> DeleteAsync(string id, string by, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        return db.WriteAsync(async (connection, tx) =>
        {
            var box = await BoxOfAsync(connection, tx, id);
            if (box is null)
                return false;
            await connection.ExecuteAsync("DELETE FROM voicemails WHERE id = @id", new { id }, tx);
            await LogAsync(connection, tx, id, box, "deleted", by, StoreTime.ToText(time.GetUtcNow()));
            return true;
        }, ct);
    }

    /// <summary>Messages recorded before <paramref name="cutoff"/>, oldest first: the retention job deletes their audio, then purges.</summary>
    public Task<IReadOnlyList<VoicemailMessage>> ListOlderThanAsync(DateTimeOffset cutoff, CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<VoicemailMessage>>(async connection =>
        {
            var rows = await connection.QueryAsync<VoicemailMessageRow>(new CommandDefinition(
                $"SELECT {MessageColumns} FROM voicemails WHERE recorded_at < @cutoff ORDER BY recorded_at, id",
                new { cutoff = StoreTime.ToText(cutoff) }, cancellationToken: ct));
            return rows.Select(r => r.ToMessage()).ToList();
        });

    /// <summary>Removes messages recorded before <paramref name="cutoff"/> (retention limit), logging each; returns how many.</summary>
    public Task<int> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken ct = default) =>
        db.WriteAsync(async (connection, tx) =>
        {
            var parameters = new { cutoff = StoreTime.ToText(cutoff), at = StoreTime.ToText(time.GetUtcNow()), by = RetentionActor };
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO voicemail_access (voicemail_id, box, action, done_by, done_at)
                SELECT id, box, 'purged', @by, @at FROM voicemails WHERE recorded_at < @cutoff ORDER BY recorded_at
                """, parameters, tx, cancellationToken: ct));
            return await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM voicemails WHERE recorded_at < @cutoff", parameters, tx, cancellationToken: ct));
        }, ct);

    /// <summary>The access log of one message, oldest first (kept after the message is deleted).</summary>
    public Task<IReadOnlyList<VoicemailAccess>> AccessLogAsync(string voicemailId, CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<VoicemailAccess>>(async connection =>
        {
            var rows = await connection.QueryAsync<AccessRow>(new CommandDefinition("""
                SELECT id AS Id, voicemail_id AS VoicemailId, box AS Box, action AS Action, done_by AS DoneBy, done_at AS DoneAt
                FROM voicemail_access WHERE voicemail_id = @voicemailId ORDER BY id
                """, new { voicemailId }, cancellationToken: ct));
            return rows.Select(r => new VoicemailAccess(r.Id, r.VoicemailId, r.Box, r.Action, r.DoneBy, StoreTime.Parse(r.DoneAt)))
                .ToList();
        });

    private static Task<string?> BoxOfAsync(SqliteConnection connection, SqliteTransaction tx, string id) =>
        connection.QuerySingleOrDefaultAsync<string?>("SELECT box FROM voicemails WHERE id = @id", new { id }, tx);

    private static Task LogAsync(
        SqliteConnection connection, SqliteTransaction tx, string id, string box, string action, string by, string at) =>
        connection.ExecuteAsync("""
            INSERT INTO voicemail_access (voicemail_id, box, action, done_by, done_at) VALUES (@id, @box, @action, @by, @at)
            """, new { id, box, action, by, at }, tx);


    private sealed class AccessRow
    {
        public long Id { get; set; }
        public string VoicemailId { get; set; } = "";
        public string Box { get; set; } = "";
        public string Action { get; set; } = "";
        public string DoneBy { get; set; } = "";
        public string DoneAt { get; set; } = "";
    }
}
