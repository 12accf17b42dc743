using PbxRouter.Ari;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Voicemail;

/// <summary>Audio kept in Asterisk's recordings spool and reached over ARI's stored recordings.</summary>
public sealed class AsteriskSpoolAudio(AriClient ari) : IVoicemailAudio
{
    public string PlaybackMedia(VoicemailMessage message) => $"recording:{message.RecordingName}";

    public async Task<Stream?> OpenReadAsync(VoicemailMessage message, CancellationToken ct)
    {
        try
        {
            return await ari.Recordings.GetStoredFileAsync(message.RecordingName, ct).ConfigureAwait(false);
        }
        catch (AriException e) when (e.StatusCode == 404)
        {
            return null;
        }
    }

    public async Task DeleteAsync(VoicemailMessage message, CancellationToken ct)
    {
        try
        {
            await ari.Recordings.DeleteStoredAsync(message.RecordingName, ct).ConfigureAwait(false);
        }
        catch (AriException e) when (e.StatusCode == 404)
        {
            // Already gone.
        }
    }
}
