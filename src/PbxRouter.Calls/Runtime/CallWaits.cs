using PbxRouter.Ari;
using PbxRouter.Ari.Events;

namespace PbxRouter.Calls.Runtime;

/// <summary>
/// Bounded waits on a call's inbox. A wait takes the first event it waits for and leaves the others, in order, for the
/// flow's next read (a key pressed meanwhile, a playback that ended meanwhile); every wait ends when the caller hangs up.
/// </summary>
public static class CallWaits
{
    /// <summary>
    /// The first event of the call matching <paramref name="match"/>, or null when <paramref name="timeout"/> passes
    /// first. Returns at once (null) when the caller hangs up: check <see cref="LiveCall.CallerGone"/>. A completed
    /// <paramref name="wake"/> ends the wait like the timeout (null, nothing taken).
    /// </summary>
    public static async Task<AriEvent?> WaitForAsync(this LiveCall call, Func<AriEvent, bool> match, TimeSpan timeout, CancellationToken ct, Task? wake = null)
    {
        if (call.CallerGone) return null;
        var e = await call.Inbox.TakeAsync(x => match(x) || x.Ends(call.CallId), timeout, ct, wake).ConfigureAwait(false);
        return e is not null && match(e) && !call.CallerGone ? e : null;
    }

    /// <summary>The call's next event, whatever it is, or null when <paramref name="timeout"/> passes first.</summary>
    public static Task<AriEvent?> NextEventAsync(this LiveCall call, TimeSpan timeout, CancellationToken ct) => call.Inbox.NextAsync(timeout, ct);

    /// <summary>Waits (bounded) for the caller's channel to leave Stasis, e.g. after the engine hung it up.</summary>
    public static async Task WaitForCallerToLeaveAsync(this LiveCall call, TimeSpan timeout, CancellationToken ct)
    {
        if (call.CallerLeft) return;
        await call.Inbox.TakeAsync(e => e is StasisEnd or ChannelDestroyed && e.Ends(call.CallId), timeout, ct).ConfigureAwait(false);
    }

    /// <summary>Longest wait for a created leg to enter Stasis.</summary>
    public static readonly TimeSpan LegStart = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Creates an outgoing leg of <paramref name="kind"/> and waits for its StasisStart: POST /channels/create returns before
    /// the channel is in Stasis, and adding it to a bridge or dialling it before that fails (422/409). The leg is the call's
    /// from the start (registered, its events routed here, its kind in its channel variables); false when it never arrived.
    /// </summary>
    public static async Task<bool> CreateLegAsync(this LiveCall call, CreateChannelRequest request, LegKind kind, string? who, CancellationToken ct)
    {
        var leg = call.Add(request.ChannelId!, kind, who);
        var variables = new Dictionary<string, string>(leg.Variables(call.CallId));
        foreach (var (name, value) in request.Variables ?? new Dictionary<string, string>()) variables[name] = value;
        await call.Ari.Channels.CreateAsync(request with { Variables = variables }, ct).ConfigureAwait(false);
        var started = await call.WaitForAsync(e => e is StasisStart s && s.Channel?.Id == request.ChannelId, LegStart, ct).ConfigureAwait(false);
        return started is not null;
    }

    /// <summary>
    /// The timeout to give ARI's dial of a leg that rings <paramref name="ringTime"/>: a second after the engine's own limit,
    /// so that the engine decides, yet the ringing stops even if the engine is gone by then (0 would mean no limit at all).
    /// </summary>
    public static int DialTimeout(TimeSpan ringTime) => Math.Max(1, (int)Math.Ceiling(ringTime.TotalSeconds)) + 1;

    /// <summary>
    /// True when a Dial event says how the dial ended (ANSWER, BUSY, NOANSWER, CANCEL, CONGESTION, CHANUNAVAIL...);
    /// RINGING, PROGRESS and PROCEEDING only say it goes on.
    /// </summary>
    public static bool IsFinal(this Dial d) => d.DialStatus is { Length: > 0 } s && s is not ("RINGING" or "PROGRESS" or "PROCEEDING" or "EARLYMEDIA");

    /// <summary>True for the events that end a channel's presence in the application (hang-up, StasisEnd, destroyed).</summary>
    public static bool Ends(this AriEvent e, string channelId) => e switch
    {
        ChannelHangupRequest h => h.Channel?.Id == channelId,
        StasisEnd s => s.Channel?.Id == channelId,
        ChannelDestroyed d => d.Channel?.Id == channelId,
        _ => false,
    };

    /// <summary>True for a key pressed on the call's own channel that is one of <paramref name="keys"/>.</summary>
    public static bool IsKey(this AriEvent e, string channelId, string? keys) =>
        keys is { Length: > 0 } && e is ChannelDtmfReceived { Digit: { Length: 1 } d } k && k.Channel?.Id == channelId && keys.Contains(d, StringComparison.Ordinal);
}
