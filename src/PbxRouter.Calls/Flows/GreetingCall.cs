using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Engine;

namespace PbxRouter.Calls.Flows;

/// <summary>The foundation flow: answer, play the greeting, hang up. The routing flows replace it.</summary>
public sealed class GreetingCall(AriClient ari, CallTrace trace, EngineOptions options, ILogger logger, TimeProvider time)
    : CallSession(ari, trace, logger, time)
{
    private string PlaybackId => $"{CallId}-greeting";
    private bool _hangingUp;

    public override async Task StartAsync(CancellationToken ct)
    {
        if (!await OnLiveChannelAsync(() => Ari.Channels.AnswerAsync(CallId, ct), "answer")) return;
        Trace.Step("answered");
        // The playback id is chosen here so that PlaybackFinished can be matched even if it
        // arrives before the REST call returns.
        if (!await OnLiveChannelAsync(() => Ari.Channels.PlayAsync(CallId, options.GreetingMedia, PlaybackId, ct: ct), "play greeting")) return;
        Trace.Step($"greeting: {options.GreetingMedia}");
    }

    public override async Task HandleAsync(AriEvent e, CancellationToken ct)
    {
        switch (e)
        {
            case PlaybackFinished p when p.Playback.Id == PlaybackId:
                Trace.Step("greeting finished");
                await HangUpAsync(ct);
                break;
            case ChannelHangupRequest when !_hangingUp:
                Trace.Step("caller hung up");
                break;
            case StasisEnd:
            case ChannelDestroyed:
                Finish(_hangingUp ? "greeted" : "caller-hung-up");
                break;
        }
    }

    public override async Task ResumeAsync(CancellationToken ct)
    {
        // PlaybackFinished may have been lost while disconnected: if the playback is gone, it ended.
        try
        {
            await Ari.Playbacks.GetAsync(PlaybackId, ct);
        }
        catch (AriNotFoundException)
        {
            Trace.Step("greeting finished while disconnected");
            await HangUpAsync(ct);
        }
    }

    private async Task HangUpAsync(CancellationToken ct)
    {
        if (_hangingUp) return;
        _hangingUp = true;
        if (await OnLiveChannelAsync(() => Ari.Channels.HangupAsync(CallId, "normal", ct), "hang up"))
            Trace.Step("hung up by engine");
    }
}
