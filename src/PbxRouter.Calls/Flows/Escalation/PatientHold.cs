using PbxRouter.Ari.Events;
using PbxRouter.Calls.Runtime;

namespace PbxRouter.Calls.Flows.Escalation;

/// <summary>What the patient hears while the doctors' mobiles ring: a reassuring message, then music; never silence.</summary>
internal sealed class PatientHold(CallContext call, EscalationOptions options)
{
    private readonly string _playbackId = call.NewId("urgent-wait");
    private bool _announcing, _music;

    /// <summary>Answers the patient and starts the message; false when the patient is gone.</summary>
    public async Task<bool> StartAsync(CancellationToken ct)
    {
        if (!await call.AnswerAsync(ct).ConfigureAwait(false)) return false;
        if (await call.OnCallerAsync(() => call.Ari.Channels.PlayAsync(call.CallId, options.PatientPrompt, _playbackId, "fr", ct), "play the urgent message")
                .ConfigureAwait(false))
        {
            call.Add(_playbackId, LegKind.Playback);
            _announcing = true;
        }
        else if (!call.CallerGone) await StartMusicAsync(ct).ConfigureAwait(false);
        return !call.CallerGone;
    }

    /// <summary>Sees every event of the call: the end of the message starts the music (a play stops MOH and does not resume it).</summary>
    public async Task HandleAsync(AriEvent e, CancellationToken ct)
    {
        if (_announcing && e is PlaybackFinished p && p.Playback.Id == _playbackId)
        {
            _announcing = false;
            call.Forget(_playbackId);
            await StartMusicAsync(ct).ConfigureAwait(false);
        }
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_announcing) await call.EndAsync(_playbackId, ct: ct).ConfigureAwait(false);
        if (_music) await call.OnCallerAsync(() => call.Ari.Channels.StopMohAsync(call.CallId, ct), "stop music on hold").ConfigureAwait(false);
        _announcing = _music = false;
    }

    private async Task StartMusicAsync(CancellationToken ct) =>
        _music = await call.OnCallerAsync(() => call.Ari.Channels.StartMohAsync(call.CallId, options.MusicClass, ct), "start music on hold")
            .ConfigureAwait(false);
}
