using Dapper;

namespace PbxRouter.Store;

/// <summary>
/// What the voicemail store's upkeep needs: every indexed message (to reconcile the index with the audio files), the
/// retention purge of chosen messages (each audited as purged by <see cref="VoicemailRepository.RetentionActor"/>), and
/// the purge of old call records.
/// </summary>
public sealed class RetentionRepository(StoreDatabase db, TimeProvider time)
{
    private const string MessageColumns = VoicemailMessageRow.Columns;

    /// <summary>Every indexed message, oldest first.</summary>
    public Task<IReadOnlyList<VoicemailMessage>> AllMessagesAsync(CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<VoicemailMessage>>(async connection =>
        {
            var rows = await connection.QueryAsync<VoicemailMessageRow>(new CommandDefinition(
                $"SELECT {MessageColumns} FROM voicemails ORDER BY recorded_at, id", cancellationToken: ct));
            return rows.Select(r => r.ToMessage()).ToList();
        });

    /// <summary>
    /// Removes these messages from the index, each with a 'purged' line in the access log by <paramref name="by"/>, in one
    /// transaction; returns how many were there. The caller deletes their audio afterwards.
    /// </summary>
    public Task<int> PurgeMessagesAsync(IReadOnlyCollection<string> ids, string by, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        return db.WriteAsync(async (connection, tx) =>
        {
            var at = StoreTime.ToText(time.GetUtcNow());
            var purged = 0;
            foreach (var id in ids.Distinct(StringComparer.Ordinal))
            {
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO voicemail_access (voicemail_id, box, action, done_by, done_at)
                    SELECT id, box, 'purged', @by, @at FROM voicemails WHERE id = @id
                    """, new { id, by, at }, tx, cancellationToken: ct));
                purged += await connection.ExecuteAsync(new CommandDefinition("DELETE FROM voicemails WHERE id = @id", new { id }, tx,
                    cancellationToken: ct));
            }
            return purged;
        }, ct);
    }

    /// <summary>
    /// The call records that started before <paramref name="cutoff"/> and have ended (a record still open belongs to a call
    /// an engine may take over): deleted with their steps, or only counted when <paramref name="dryRun"/>.
    /// </summary>
    public Task<int> PurgeCallRecordsAsync(DateTimeOffset cutoff, bool dryRun, CancellationToken ct = default)
    {
        var parameters = new { cutoff = StoreTime.ToText(cutoff) };
        const string Old = "SELECT call_id FROM call_records WHERE started_at < @cutoff AND ended_at IS NOT NULL";
        if (dryRun)
            return db.ReadAsync(connection => connection.ExecuteScalarAsync<int>(new CommandDefinition(
                $"SELECT COUNT(*) FROM ({Old})", parameters, cancellationToken: ct)));
        return db.WriteAsync(async (connection, tx) =>
        {
            await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM call_steps WHERE call_id IN ({Old})", parameters, tx,
                cancellationToken: ct));
            return await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM call_records WHERE call_id IN ({Old})", parameters, tx,
                cancellationToken: ct));
        }, ct);
    }
}
