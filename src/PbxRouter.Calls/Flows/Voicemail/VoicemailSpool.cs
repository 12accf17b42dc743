using Microsoft.Extensions.Logging;
using PbxRouter.Ari;

namespace PbxRouter.Calls.Flows.Voicemail;

/// <summary>
/// Moves a message's recording out of Asterisk's spool into the engine's folder: copied over ARI (works wherever Asterisk
/// runs, chroot included) and made durable (<see cref="VoicemailFiles.CopyInAsync"/>); the spool copy is deleted only once
/// the message is indexed. A failure leaves the recording in the spool, where the reconciliation finds it again.
/// </summary>
public sealed class VoicemailSpool(AriClient ari, VoicemailFiles files, ILogger<VoicemailSpool> logger)
{
    public VoicemailFiles Files => files;

    public AriClient Ari => ari;

    /// <summary>True when the recording's audio is in the folder afterwards (copied now or before); failures are logged.</summary>
    public async Task<bool> CopyInAsync(string recordingName, string messageId, CancellationToken ct)
    {
        if (!VoicemailFiles.IsFileName(recordingName))
        {
            logger.LogWarning("Voicemail: message {MessageId} has a recording name that cannot name a file: its audio stays in Asterisk's spool", messageId);
            return false;
        }
        try
        {
            if (await files.CopyFromSpoolAsync(ari, recordingName, ct).ConfigureAwait(false))
                logger.LogDebug("Voicemail: message {MessageId} copied into {Folder}", messageId, files.Folder);
            return true;
        }
        catch (AriNotFoundException)
        {
            return files.Has(recordingName);
        }
        catch (Exception e) when (e is AriException or HttpRequestException or IOException or UnauthorizedAccessException)
        {
            logger.LogError("Voicemail: message {MessageId} not copied into {Folder} (it stays in Asterisk's spool, copied again later): {Error}",
                messageId, files.Folder, e.Message);
            return false;
        }
    }

    /// <summary>Deletes Asterisk's copy of a recording that is now in the folder; gone already is fine, a failure is logged.</summary>
    public async Task<bool> DropSpoolCopyAsync(string recordingName, CancellationToken ct)
    {
        try
        {
            await ari.Recordings.DeleteStoredAsync(recordingName, ct).ConfigureAwait(false);
            return true;
        }
        catch (AriNotFoundException)
        {
            return false;
        }
        catch (Exception e) when (e is AriException or HttpRequestException)
        {
            logger.LogWarning("Voicemail: Asterisk's copy of a stored message was not deleted now (deleted at the next reconciliation): {Error}", e.Message);
            return false;
        }
    }
}
