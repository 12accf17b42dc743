using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Fallback;
using PbxRouter.Calls.Rules;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Voicemail;

/// <summary>What one reconciliation did; <see cref="Missing"/>: ids of indexed messages whose audio is nowhere.</summary>
public sealed record ReconcileReport(int Moved, int Indexed, int Removed, int SpoolCopiesDropped, IReadOnlyList<string> Missing);

/// <summary>
/// Makes the voicemail index and the audio folder agree, both ways, after whatever a crash cut (run at start and
/// periodically, after the import of Asterisk's recordings):
/// <list type="bullet">
/// <item>a row whose file is not in the folder: copied from Asterisk's spool if it is still there (a move cut before its
/// copy, or a message indexed before the folder existed); otherwise reported (logged once, and shown by
/// <c>pbxrouter voicemail list</c>), never dropped;</item>
/// <item>a file without a row: if the import ledger knows its recording, the message was deleted (by a phone or the
/// retention) before its file: the file is deleted; otherwise it is indexed from what its name says (practice, box, time,
/// channel, caller) and its WAV (length), and notified, as any new message (a crash between the copy and the index);</item>
/// <item>a spool copy of a recording the ledger knows whose audio is in the folder, or whose message was deleted: deleted
/// (a move cut after the index).</item>
/// </list>
/// Copies in TEMP older than 10 minutes (a copy cut by a crash) are deleted. Messages this process is storing now are left
/// alone. Health data: logs carry ids and recording names' boxes, never the caller's number.
/// </summary>
public sealed class VoicemailReconciler(
    VoicemailSpool spool, VoicemailIndex index, VoicemailImportRepository imports, RetentionRepository store, ActiveRules rules,
    VoicemailOptions options, TimeProvider time, ILogger<VoicemailReconciler> logger)
{
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _one = new(1, 1);

    public async Task<ReconcileReport> RunAsync(CancellationToken ct)
    {
        await _one.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await PassAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<ReconcileReport> PassAsync(CancellationToken ct)
    {
        var files = spool.Files;
        var cut = files.CleanTemp(TimeSpan.FromMinutes(10), time.GetUtcNow());
        if (cut > 0) logger.LogWarning("Voicemail: {Count} partial copies left by a crash deleted from {Folder}", cut, files.TempFolder);
        // Read in this order: the folder and the spool, then the ledger, then the rows. A row and its ledger entry are written
        // in one transaction and a row is never written again once deleted, so a name the ledger knows without a row, read
        // after the ledger, is a deleted message (and not one indexed meanwhile, whose audio must stay).
        var inFolder = files.Names().Where(n => !files.IsHeld(n)).ToList();
        HashSet<string>? inSpool = null;
        try
        {
            inSpool = (await spool.Ari.Recordings.ListStoredAsync(ct).ConfigureAwait(false)).Select(r => r.Name)
                .Where(VoicemailFiles.IsFileName).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is AriException or HttpRequestException)
        {
            logger.LogDebug("Voicemail: Asterisk's recordings not listed, spool copies checked next time: {Error}", e.Message);
        }
        var names = inFolder.Concat(inSpool ?? []).Distinct(StringComparer.Ordinal).ToList();
        var ledger = names.Count == 0 ? new Dictionary<string, bool>() : await imports.StatusAsync(names, ct).ConfigureAwait(false);
        var rows = await store.AllMessagesAsync(ct).ConfigureAwait(false);
        var indexed = rows.Select(r => r.RecordingName).ToHashSet(StringComparer.Ordinal);

        int moved = 0, added = 0, removed = 0, dropped = 0;
        var missing = new List<string>();
        foreach (var row in rows)
        {
            if (!VoicemailFiles.IsFileName(row.RecordingName))
            {
                if (_reported.Add(row.Id))
                    logger.LogError("Voicemail: message {MessageId} of box {Box} has a recording name that cannot name a file: its audio is not moved", row.Id, row.Box);
                continue;
            }
            if (files.IsHeld(row.RecordingName) || files.Has(row.RecordingName)) continue;
            if (inSpool?.Contains(row.RecordingName) == true && await spool.CopyInAsync(row.RecordingName, row.Id, ct).ConfigureAwait(false))
            {
                // In the ledger too (a message indexed before the ledger existed): once deleted, its file is never indexed again.
                await imports.ImportAsync(row.RecordingName, row, ct).ConfigureAwait(false);
                if (await spool.DropSpoolCopyAsync(row.RecordingName, ct).ConfigureAwait(false)) inSpool.Remove(row.RecordingName);
                moved++;
                logger.LogInformation("Voicemail: message {MessageId} of box {Box} moved from Asterisk's spool into {Folder}", row.Id, row.Box, files.Folder);
                continue;
            }
            if (inSpool is null) continue; // it may still be in the spool: not known yet
            missing.Add(row.Id);
            if (_reported.Add(row.Id))
                logger.LogError("Voicemail: message {MessageId} of box {Box} ({Practice}, {RecordedAt:u}) is indexed but its audio {File} is missing "
                    + "(neither in the folder nor in Asterisk's spool): kept in the index, shown by `pbxrouter voicemail list`",
                    row.Id, row.Box, row.PracticeId, row.RecordedAt, files.PathOf(row.RecordingName));
        }

        foreach (var name in inFolder.Where(n => !indexed.Contains(n) && !files.IsHeld(n)))
        {
            if (ledger.ContainsKey(name))
            {
                files.Delete(name);
                removed++;
                logger.LogInformation("Voicemail: the file of a deleted message ({Name}) deleted", BoxOf(name));
                continue;
            }
            if (await IndexOrphanAsync(name, ct).ConfigureAwait(false) is { } done)
            {
                if (done) added++;
                else removed++;
            }
        }

        if (inSpool is not null)
        {
            foreach (var name in inSpool.Where(n => !files.IsHeld(n) && ledger.ContainsKey(n)))
            {
                // Its message is in the folder (a move cut after the index), or was deleted: Asterisk's copy has no use.
                var deleted = !indexed.Contains(name);
                if ((deleted || files.Has(name)) && await spool.DropSpoolCopyAsync(name, ct).ConfigureAwait(false)) dropped++;
            }
        }

        if (moved + added + removed + dropped > 0)
            logger.LogInformation("Voicemail store reconciled: {Moved} moved from the spool, {Indexed} files indexed, {Removed} files removed, "
                + "{Dropped} spool copies deleted, {Missing} messages without audio", moved, added, removed, dropped, missing.Count);
        return new ReconcileReport(moved, added, removed, dropped, missing);
    }

    /// <summary>A file nobody indexed: indexed and notified (true), deleted when too short (false), or left (null).</summary>
    private async Task<bool?> IndexOrphanAsync(string name, CancellationToken ct)
    {
        var files = spool.Files;
        if (FallbackMessage.TryParse(name) is not { } message)
        {
            if (_reported.Add(name))
                logger.LogError("Voicemail: file {File} is not named as a message: left where it is, not indexed", files.PathOf(name));
            return null;
        }
        if (rules.Current is not { } current) return null; // whom to notify is not known yet
        int duration;
        try
        {
            duration = files.DurationSeconds(name);
        }
        catch (InvalidDataException e)
        {
            if (_reported.Add(name))
                logger.LogError("Voicemail: file {File} is not a WAV file ({Error}): left where it is, not indexed", files.PathOf(name), e.Message);
            return null;
        }
        if (duration < options.MinDurationSeconds)
        {
            files.Delete(name);
            logger.LogInformation("Voicemail: message {MessageId} found without index is empty ({Duration} s): deleted", message.MessageId, duration);
            return false;
        }
        var box = current.Model.Practices.FirstOrDefault(p => p.Id.Value == message.PracticeId)?.VoicemailBoxes
            .FirstOrDefault(b => b.Id.Value == message.Box);
        await index.AddAsync(new VoicemailMessage(message.MessageId, message.Box, message.PracticeId, message.CallerNumber, message.RecordedAt,
            duration, name, box?.Urgent ?? false, message.ChannelId), box?.Notify ?? [], ct).ConfigureAwait(false);
        logger.LogWarning("Voicemail: message {MessageId} ({Duration} s) of box {Box} of {Practice} was in the folder without index: indexed and notified",
            message.MessageId, duration, message.Box, message.PracticeId);
        return true;
    }

    private static string BoxOf(string name) => FallbackMessage.TryParse(name) is { } m ? $"box {m.Box} of {m.PracticeId}, message {m.MessageId}" : "a file";
}
