using PbxRouter.Calls.Notifications;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Voicemail;

/// <summary>
/// Puts a recorded message into the engine's store and tells the box's targets, once: the store's ledger is keyed by the
/// recording's name, so the voicemail step, a takeover after a restart and the import of Asterisk's recordings can all
/// meet the same message and it is still indexed once and notified once.
/// </summary>
/// <param name="spool">
/// The engine's audio folder and Asterisk: when given, a message's recording is first copied from Asterisk's spool into the
/// folder (<see cref="VoicemailFiles"/>), then indexed, then its spool copy deleted; null: the audio stays in the spool.
/// </param>
public sealed class VoicemailIndex(VoicemailImportRepository imports, VoicemailNotifier notifier, VoicemailSpool? spool = null)
{
    /// <summary>Of these recordings, those already indexed, with whether their notification went out.</summary>
    public Task<IReadOnlyDictionary<string, bool>> StatusAsync(IReadOnlyCollection<string> recordings, CancellationToken ct) =>
        imports.StatusAsync(recordings, ct);

    /// <summary>
    /// Indexes the message (if it is not yet) and notifies it (if not yet); true when it was new. When the store refuses
    /// the write (<see cref="StoreException"/>, rethrown) and <paramref name="tellAnyway"/> (a caller who just left a
    /// message), the targets are told anyway: the recording stays in Asterisk and the next import pass indexes it (and
    /// tells them again, with the same message id).
    /// </summary>
    public async Task<bool> AddAsync(VoicemailMessage message, IReadOnlyList<Notification> notify, CancellationToken ct, bool tellAnyway = false)
    {
        var notice = new VoicemailNotice(message.Id, message.PracticeId, message.Box, message.Urgent, message.CallerNumber, message.RecordedAt,
            message.DurationSeconds, message.CallId);
        using var hold = spool?.Files.Hold(message.RecordingName);
        // Copied before it is indexed: a row always points at audio that is in the folder, or still in the spool (a copy that
        // failed is logged and tried again by the reconciliation).
        var copied = spool is not null && await spool.CopyInAsync(message.RecordingName, message.Id, ct).ConfigureAwait(false);
        bool isNew;
        try
        {
            isNew = await imports.ImportAsync(message.RecordingName, message, ct).ConfigureAwait(false);
        }
        catch (StoreException) when (tellAnyway)
        {
            await notifier.NotifyAsync(notice, notify, ct).ConfigureAwait(false);
            throw;
        }
        if (copied) await spool!.DropSpoolCopyAsync(message.RecordingName, ct).ConfigureAwait(false);
        await notifier.NotifyAsync(notice, notify, ct).ConfigureAwait(false);
        await imports.MarkNotifiedAsync(message.RecordingName, ct).ConfigureAwait(false);
        return isNew;
    }
}
