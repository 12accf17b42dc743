using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Notifications;
using PbxRouter.Calls.Rules;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Fallback;

/// <summary>What one import pass did.</summary>
public sealed record FallbackImportReport(int Imported, int Notified, int Pending, int Discarded, int Failed);

/// <summary>
/// Brings the messages left on the practices' fallback routes (Asterisk's recordings <c>fallback~...</c>, see
/// <see cref="FallbackMessage"/>), and those the engine's voicemail step was recording when the engine died and whose
/// caller hung up before another engine took the call over (<c>vm~...</c>), into the engine's voicemail store, and
/// notifies their box like any other message.
/// The recording becomes the message's audio: moved into the engine's folder when a <see cref="VoicemailSpool"/> is given
/// (as the engine's own messages), else left where Asterisk made it. Each
/// recording is indexed once (the store's import ledger) and notified once (marked after sending); a pass that fails
/// half-way leaves the rest for the next pass, and nothing is deleted but a message too short to keep.
/// Health data: logs carry message ids, boxes and durations, never the caller's number.
/// </summary>
/// <param name="spool">When given, each message's recording is copied into the engine's folder first (its length read there),
/// and its spool copy deleted once indexed (<see cref="VoicemailIndex"/>); messages this process is storing are left alone.</param>
public sealed class FallbackVoicemailImporter(
    AriClient ari, VoicemailIndex index, ActiveRules rules, VoicemailOptions options, ILogger<FallbackVoicemailImporter> logger,
    VoicemailSpool? spool = null)
{
    private readonly HashSet<string> _unreadable = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _onePass = new(1, 1);

    /// <summary>One pass over Asterisk's recordings (one at a time); throws only when the list itself cannot be read.</summary>
    public async Task<FallbackImportReport> ImportAsync(CancellationToken ct)
    {
        await _onePass.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await PassAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _onePass.Release();
        }
    }

    private async Task<FallbackImportReport> PassAsync(CancellationToken ct)
    {
        if (rules.Current is not { } current)
        {
            logger.LogDebug("Fallback messages: no rules in force yet, nothing imported");
            return new FallbackImportReport(0, 0, 0, 0, 0);
        }
        var messages = new List<FallbackMessage>();
        foreach (var stored in await ari.Recordings.ListStoredAsync(ct).ConfigureAwait(false))
        {
            if (!FallbackMessage.IsMessageName(stored.Name) || spool?.Files.IsHeld(stored.Name) == true) continue;
            if (FallbackMessage.TryParse(stored.Name) is { } message) messages.Add(message);
            else if (_unreadable.Add(stored.Name))
                logger.LogError("Fallback messages: recording {Name} is not named as the fallback route names its messages: left where it is",
                    UntrustedText.ForDisplay(stored.Name));
        }
        if (messages.Count == 0) return new FallbackImportReport(0, 0, 0, 0, 0);
        var status = await index.StatusAsync(messages.Select(m => m.RecordingName).ToList(), ct).ConfigureAwait(false);
        int imported = 0, notified = 0, pending = 0, discarded = 0, failed = 0;
        foreach (var message in messages.Where(m => !status.GetValueOrDefault(m.RecordingName)).OrderBy(m => m.RecordedAt))
        {
            try
            {
                switch (await ImportOneAsync(message, current, ct).ConfigureAwait(false))
                {
                    case Outcome.Pending: pending++; break;
                    case Outcome.Discarded: discarded++; break;
                    case Outcome.Notified: notified++; break;
                    case Outcome.ImportedAndNotified: imported++; notified++; break;
                }
            }
            catch (Exception e) when (e is AriException or StoreException or IOException or InvalidDataException)
            {
                failed++;
                logger.LogError("Fallback message {MessageId} in box {Box} of {Practice}: import failed, retried at the next pass: {Error}",
                    message.MessageId, message.Box, message.PracticeId, e.Message);
            }
        }
        if (imported + notified + discarded + failed > 0)
            logger.LogInformation("Fallback messages: {Imported} imported, {Notified} notified, {Pending} still being recorded, {Discarded} too short, {Failed} failed",
                imported, notified, pending, discarded, failed);
        return new FallbackImportReport(imported, notified, pending, discarded, failed);
    }

    private enum Outcome { Pending, Discarded, Notified, ImportedAndNotified }

    private async Task<Outcome> ImportOneAsync(FallbackMessage message, CompiledRules current, CancellationToken ct)
    {
        // Record() writes straight into the file: it is whole only once the caller's channel is gone.
        if (await ChannelAliveAsync(message.ChannelId, ct).ConfigureAwait(false)) return Outcome.Pending;
        using var hold = spool?.Files.Hold(message.RecordingName);
        var inFolder = spool is not null && await spool.CopyInAsync(message.RecordingName, message.MessageId, ct).ConfigureAwait(false);
        var duration = inFolder ? spool!.Files.DurationSeconds(message.RecordingName) : await DurationAsync(message.RecordingName, ct).ConfigureAwait(false);
        if (duration < options.MinDurationSeconds)
        {
            logger.LogInformation("Fallback message {MessageId}: empty ({Duration} s), not kept", message.MessageId, duration);
            await ari.Recordings.DeleteStoredAsync(message.RecordingName, ct).ConfigureAwait(false);
            if (inFolder) spool!.Files.Delete(message.RecordingName);
            return Outcome.Discarded;
        }
        var box = current.Model.Practices.FirstOrDefault(p => p.Id.Value == message.PracticeId)?.VoicemailBoxes
            .FirstOrDefault(b => b.Id.Value == message.Box);
        var urgent = box?.Urgent ?? false;
        var isNew = await index.AddAsync(new VoicemailMessage(message.MessageId, message.Box, message.PracticeId, message.CallerNumber,
            message.RecordedAt, duration, message.RecordingName, urgent, message.ChannelId), box?.Notify ?? [], ct).ConfigureAwait(false);
        if (isNew)
            logger.LogInformation("{Route} message {MessageId} ({Duration} s) imported into box {Box} of {Practice}",
                message.ByEngine ? "Voicemail" : "Fallback", message.MessageId, duration, message.Box, message.PracticeId);
        if (box is null)
            logger.LogWarning("Fallback message {MessageId}: box {Box} of {Practice} is not in the rules in force: stored, nobody notified",
                message.MessageId, message.Box, message.PracticeId);
        return isNew ? Outcome.ImportedAndNotified : Outcome.Notified;
    }

    private async Task<bool> ChannelAliveAsync(string channelId, CancellationToken ct)
    {
        try
        {
            await ari.Channels.GetAsync(channelId, ct).ConfigureAwait(false);
            return true;
        }
        catch (AriNotFoundException)
        {
            return false;
        }
    }

    private Task<int> DurationAsync(string recordingName, CancellationToken ct) => WavDuration.OfStoredAsync(ari, recordingName, ct);
}
