using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Voicemail;

/// <summary>Where a stored message's audio lives: how a phone hears it, how it is read (e-mail, web) and deleted.</summary>
public interface IVoicemailAudio
{
    /// <summary>The media to give ARI's play to hear the message ("recording:NAME", "sound:PATH"...).</summary>
    string PlaybackMedia(VoicemailMessage message);

    /// <summary>The message's audio as WAV bytes; null when it is missing.</summary>
    Task<Stream?> OpenReadAsync(VoicemailMessage message, CancellationToken ct);

    /// <summary>Deletes the message's audio; audio already gone is not an error.</summary>
    Task DeleteAsync(VoicemailMessage message, CancellationToken ct);
}
