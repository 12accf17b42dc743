using PbxRouter.Ari;
using PbxRouter.Ari.Events;

namespace PbxRouter.Calls.Flows;

/// <summary>Bounded waits and channel commands shared by the step executors.</summary>
public static class CallWaits
{
    /// <summary>
    /// The first event of the call matching <paramref name="match"/>, or null when <paramref name="timeout"/> passes
    /// first. Returns at once (possibly null) when the caller hangs up: check <see cref="CallContext.CallerGone"/>.
    /// </summary>
    public static async Task<AriEvent?> WaitForAsync(this CallContext call, Func<AriEvent, bool> match, TimeSpan timeout, CancellationToken ct)
    {
        var started = call.Time.GetTimestamp();
        while (!call.CallerGone)
        {
            var left = timeout - call.Time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero) return null;
            var e = await call.NextEventAsync(left, ct).ConfigureAwait(false);
            if (e is null) return null;
            if (match(e)) return e;
        }
        return null;
    }

    /// <summary>Runs a command on a channel or bridge; false when it is already gone (404), which is normal in telephony.</summary>
    public static async Task<bool> TryAsync(Func<Task> command)
    {
        try
        {
            await command().ConfigureAwait(false);
            return true;
        }
        catch (AriException e) when (e is AriNotFoundException or AriConflictException or AriPreconditionFailedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Creates an outgoing leg and waits for its StasisStart: POST /channels/create returns before the channel is in
    /// Stasis, and adding it to a bridge or dialling it before that fails (422/409). False when it never arrived.
    /// </summary>
    public static async Task<bool> CreateLegAsync(this CallContext call, CreateChannelRequest request, CancellationToken ct)
    {
        await call.Ari.Channels.CreateAsync(request, ct).ConfigureAwait(false);
        var started = await call.WaitForAsync(e => e is StasisStart s && s.Channel?.Id == request.ChannelId, TimeSpan.FromSeconds(5), ct)
            .ConfigureAwait(false);
        return started is not null;
    }

    /// <summary>Answers the caller once (a second answer would be a 412 from Asterisk).</summary>
    public static async Task<bool> AnswerAsync(this CallContext call, CancellationToken ct)
    {
        if (call.Answered) return true;
        if (!await TryAsync(() => call.Ari.Channels.AnswerAsync(call.CallId, ct)).ConfigureAwait(false)) return false;
        call.Answered = true;
        return true;
    }

    /// <summary>Plays media to the caller and waits until it ends; false when the caller hung up meanwhile.</summary>
    public static async Task<bool> PlayAsync(this CallContext call, string media, CancellationToken ct, TimeSpan? limit = null)
    {
        var playbackId = call.NewId("play");
        if (!await TryAsync(() => call.Ari.Channels.PlayAsync(call.CallId, media, playbackId, ct: ct)).ConfigureAwait(false)) return false;
        await call.WaitForAsync(e => e is PlaybackFinished p && p.Playback.Id == playbackId, limit ?? TimeSpan.FromMinutes(2), ct).ConfigureAwait(false);
        if (call.CallerGone) await TryAsync(() => call.Ari.Playbacks.StopAsync(playbackId, ct)).ConfigureAwait(false);
        return !call.CallerGone;
    }

    /// <summary>A prompt name from the rules as an ARI media URI (prompts are made into sounds/LANG/pbxrouter/).</summary>
    public static string Sound(string? name, string fallback) =>
        string.IsNullOrEmpty(name) ? fallback : name.Contains(':') ? name : $"sound:pbxrouter/{name}";

    /// <summary>
    /// True when a Dial event says how the dial ended (ANSWER, BUSY, NOANSWER, CANCEL, CONGESTION, CHANUNAVAIL...);
    /// RINGING, PROGRESS and PROCEEDING only say it goes on.
    /// </summary>
    public static bool IsFinal(this Dial d) => d.DialStatus is { Length: > 0 } s && s is not ("RINGING" or "PROGRESS" or "PROCEEDING" or "EARLYMEDIA");

    /// <summary>True for the events that end a channel (used for legs: the far end hung up or the dial failed).</summary>
    public static bool Ends(this AriEvent e, string channelId) => e switch
    {
        ChannelHangupRequest h => h.Channel?.Id == channelId,
        StasisEnd s => s.Channel?.Id == channelId,
        ChannelDestroyed d => d.Channel?.Id == channelId,
        _ => false,
    };
}
