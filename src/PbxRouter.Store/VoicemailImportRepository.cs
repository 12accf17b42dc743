using Dapper;

namespace PbxRouter.Store;

/// <summary>
/// The ledger of messages imported from elsewhere (the recordings Asterisk made on the fallback route), keyed by their
/// source name: a source is indexed once, even if its message is deleted later, and its notification is marked sent.
/// </summary>
public sealed class VoicemailImportRepository(StoreDatabase db, TimeProvider time)
{
    /// <summary>Of <paramref name="sources"/>, those already imported, with whether their notification went out.</summary>
    public Task<IReadOnlyDictionary<string, bool>> StatusAsync(IReadOnlyCollection<string> sources, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return db.ReadAsync<IReadOnlyDictionary<string, bool>>(async connection =>
        {
            var status = new Dictionary<string, bool>(StringComparer.Ordinal);
            // In chunks: SQLite limits the parameters of one statement.
            foreach (var chunk in sources.Distinct(StringComparer.Ordinal).Chunk(500))
            {
                var rows = await connection.QueryAsync<(string Source, string? NotifiedAt)>(new CommandDefinition(
                    "SELECT source, notified_at FROM voicemail_imports WHERE source IN @chunk", new { chunk }, cancellationToken: ct));
                foreach (var (source, notifiedAt) in rows) status[source] = notifiedAt is not null;
            }
            return status;
        });
    }

    /// <summary>
    /// Indexes <paramref name="message"/> and records <paramref name="source"/> in one transaction; a source already
    /// imported changes nothing (its message is never indexed twice, nor brought back once deleted). True when new.
    /// </summary>
    public Task<bool> ImportAsync(string source, VoicemailMessage message, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentNullException.ThrowIfNull(message);
        return db.WriteAsync(async (connection, tx) =>
        {
            var added = await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO voicemail_imports (source, voicemail_id, imported_at) VALUES (@source, @Id, @at)
                ON CONFLICT (source) DO NOTHING
                """, new { source, message.Id, at = StoreTime.ToText(time.GetUtcNow()) }, tx, cancellationToken: ct));
            if (added == 0) return false;
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO voicemails (id, box, practice_id, caller_number, recorded_at, duration_s, recording_name, urgent, call_id)
                VALUES (@Id, @Box, @PracticeId, @CallerNumber, @at, @DurationSeconds, @RecordingName, @Urgent, @CallId)
                ON CONFLICT (id) DO NOTHING
                """, new { message.Id, message.Box, message.PracticeId, message.CallerNumber, at = StoreTime.ToText(message.RecordedAt),
                message.DurationSeconds, message.RecordingName, message.Urgent, message.CallId }, tx, cancellationToken: ct));
            return true;
        }, ct);
    }

    /// <summary>The notification of this source's message went out: it is not sent again.</summary>
    public Task MarkNotifiedAsync(string source, CancellationToken ct = default) =>
        db.WriteAsync(async (connection, tx) => await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE voicemail_imports SET notified_at = COALESCE(notified_at, @at) WHERE source = @source",
            new { source, at = StoreTime.ToText(time.GetUtcNow()) }, tx, cancellationToken: ct)), ct);
}
