using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Engine;

namespace PbxRouter.Calls.Flows;

/// <summary>
/// The foundation flow: answer, play the greeting, hang up. The routing flows replace it.
/// With an empty <see cref="EngineOptions.GreetingMedia"/> it only answers and waits for the caller
/// to hang up (outcome "answered"): the answer-only call of scripts/bench.sh.
/// </summary>
public sealed class GreetingCall(AriClient ari, CallTrace trace, EngineOptions options, ILogger logger, TimeProvider time)
    : CallSession(ari, trace, logger, time)
{
    private string PlaybackId => $"{CallId}-greeting";
    private bool _hangingUp;
    private bool _answered;
    private bool AnswerOnly => string.IsNullOrEmpty(options.GreetingMedia);

    public override async Task StartAsync(CancellationToken ct)
    {
        if (!await OnLiveChannelAsync(() => Ari.Channels.AnswerAsync(CallId, ct), "answer")) return;
        _answered = true;
        Trace.Step("answered");
        if (AnswerOnly) return;
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
                Finish(_hangingUp ? "greeted" : AnswerOnly && _answered ? "answered" : "caller-hung-up");
                break;
        }
    }

    public override async Task ResumeAsync(CancellationToken ct)
    {
        // Answer-only: nothing was started that could have ended meanwhile; the caller hangs up.
        if (AnswerOnly) return;
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
