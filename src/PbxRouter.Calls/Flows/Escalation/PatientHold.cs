using PbxRouter.Ari;
using PbxRouter.Ari.Events;

namespace PbxRouter.Calls.Flows.Escalation;

/// <summary>What the patient hears while the doctors' mobiles ring: a reassuring message, then music; never silence.</summary>
internal sealed class PatientHold(CallContext call, EscalationOptions options)
{
    private readonly string _playbackId = call.NewId("urgent-wait");
    private bool _announcing, _music;

    public async Task StartAsync(CancellationToken ct)
    {
        if (!call.Answered)
        {
            await call.Ari.Channels.AnswerAsync(call.CallId, ct).ConfigureAwait(false);
            call.Answered = true;
        }
        try
        {
            await call.Ari.Channels.PlayAsync(call.CallId, options.PatientPrompt, _playbackId, "fr", ct).ConfigureAwait(false);
            _announcing = true;
        }
        catch (AriException ex) when (ex.StatusCode is 409 or 422)
        {
            await StartMusicAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Sees every event of the call: the end of the message starts the music (a play stops MOH and does not resume it).</summary>
    public async Task HandleAsync(AriEvent e, CancellationToken ct)
    {
        if (_announcing && e is PlaybackFinished p && p.Playback.Id == _playbackId)
        {
            _announcing = false;
            await StartMusicAsync(ct).ConfigureAwait(false);
        }
    }

    public async Task StopAsync(CancellationToken ct)
    {
        try
        {
            if (_announcing) await call.Ari.Playbacks.StopAsync(_playbackId, ct).ConfigureAwait(false);
            if (_music) await call.Ari.Channels.StopMohAsync(call.CallId, ct).ConfigureAwait(false);
        }
        catch (AriException ex) when (ex.StatusCode is 404 or 409)
        {
            // The caller or the playback is already gone.
        }
        _announcing = _music = false;
    }

    private async Task StartMusicAsync(CancellationToken ct)
    {
        try
        {
            await call.Ari.Channels.StartMohAsync(call.CallId, options.MusicClass, ct).ConfigureAwait(false);
            _music = true;
        }
        catch (AriException ex) when (ex.StatusCode is 404 or 409)
        {
        }
    }
}
