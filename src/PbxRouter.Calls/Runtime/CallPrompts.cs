using PbxRouter.Ari;
using PbxRouter.Ari.Events;

namespace PbxRouter.Calls.Runtime;

/// <summary>What a bounded prompt or digit read ended with: the caller gone, and the key(s) pressed ("" for none).</summary>
public sealed record Heard(bool Gone, string Digits = "")
{
    public static readonly Heard CallerGone = new(true);
}

/// <summary>Prompts and digit reads on the caller's channel, always bounded in time and in digits (a DTMF flood cannot hold a call).</summary>
public static class CallPrompts
{
    /// <summary>Longest a single prompt may take before the flow goes on anyway.</summary>
    public static readonly TimeSpan MaxPrompt = TimeSpan.FromSeconds(60);

    /// <summary>Every key of a phone's keypad: a prompt that any of them stops.</summary>
    public const string AnyKey = "0123456789*#ABCD";

    /// <summary>
    /// Plays media to the caller (comma-separated URIs play in turn) and waits for its end, at most <paramref name="limit"/>
    /// (<see cref="MaxPrompt"/>); a key of <paramref name="stopKeys"/> stops it and is returned. Other keys stay in the
    /// inbox for the flow's next read. A prompt Asterisk refuses (409/412) counts as played: the flow goes on.
    /// </summary>
    public static async Task<Heard> PlayAsync(this LiveCall call, string media, CancellationToken ct, string? stopKeys = null,
        TimeSpan? limit = null, string? lang = null, string what = "play")
    {
        var playbackId = call.NewId(what);
        if (!await call.OnCallerAsync(() => call.Ari.Channels.PlayAsync(call.CallId, media, playbackId, lang, ct), $"play {what}").ConfigureAwait(false))
            return call.CallerGone ? Heard.CallerGone : new Heard(false);
        var playback = call.Add(playbackId, LegKind.Playback);
        var deadline = call.Time.GetUtcNow() + (limit ?? MaxPrompt);
        try
        {
            while (true)
            {
                var left = deadline - call.Time.GetUtcNow();
                var e = left > TimeSpan.Zero
                    ? await call.WaitForAsync(x => x is PlaybackFinished p && p.Playback.Id == playbackId || x.IsKey(call.CallId, stopKeys) || x is CallResumed,
                        left, ct).ConfigureAwait(false)
                    : null;
                switch (e)
                {
                    case PlaybackFinished:
                        call.Forget(playbackId);
                        return new Heard(false);
                    case ChannelDtmfReceived key:
                        return new Heard(false, key.Digit);
                    case CallResumed when !await PlaybackStillThereAsync(call, playbackId, ct).ConfigureAwait(false):
                        call.Forget(playbackId); // its PlaybackFinished was lost while the engine was disconnected
                        return new Heard(false);
                    case CallResumed:
                        continue;
                    default:
                        return new Heard(call.CallerGone);
                }
            }
        }
        finally
        {
            // Cut at the limit, by a key or by the caller's hang-up: the rest of the prompt must not play over what comes next.
            if (call.Legs.Contains(playbackId)) await call.EndAsync(playback, ct: CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Plays <paramref name="prompt"/> (if any) then reads up to <paramref name="maxDigits"/> digits ended by # (keys pressed
    /// during the prompt, or left unread before it, count and stop it). The first digit is awaited <paramref name="firstDigit"/>
    /// after the prompt, each next one <paramref name="betweenDigits"/>.
    /// </summary>
    public static async Task<Heard> ReadDigitsAsync(this LiveCall call, string? prompt, int maxDigits, TimeSpan firstDigit, TimeSpan betweenDigits,
        CancellationToken ct, string what = "read")
    {
        var digits = new System.Text.StringBuilder();
        if (prompt is not null)
        {
            var heard = await call.PlayAsync(prompt, ct, AnyKey, lang: "fr", what: what).ConfigureAwait(false);
            if (heard.Gone) return heard;
            if (!Add(digits, heard.Digits, maxDigits)) return new Heard(false, digits.ToString());
        }
        var wait = digits.Length == 0 ? firstDigit : betweenDigits;
        while (await call.WaitForAsync(e => e.IsKey(call.CallId, AnyKey), wait, ct).ConfigureAwait(false) is ChannelDtmfReceived key)
        {
            if (!Add(digits, key.Digit, maxDigits)) break;
            wait = betweenDigits;
        }
        return new Heard(call.CallerGone, digits.ToString());
    }

    /// <summary>Adds a key to the digits read; false when the read is over (# or the maximum reached).</summary>
    private static bool Add(System.Text.StringBuilder digits, string key, int maxDigits)
    {
        if (key == "#") return false;
        digits.Append(key);
        return digits.Length < maxDigits;
    }

    /// <summary>A prompt name from the rules as an ARI media URI (prompts are made into sounds/LANG/pbxrouter/).</summary>
    public static string Sound(string? name, string fallback) =>
        string.IsNullOrEmpty(name) ? fallback : name.Contains(':') ? name : $"sound:pbxrouter/{name}";

    private static async Task<bool> PlaybackStillThereAsync(LiveCall call, string playbackId, CancellationToken ct)
    {
        try
        {
            await call.Ari.Playbacks.GetAsync(playbackId, ct).ConfigureAwait(false);
            return true;
        }
        catch (AriException e) when (Gone.IsLeg(e))
        {
            return false;
        }
    }
}

/// <summary>
/// Posted on a call's own queue by the engine after it reconnected to Asterisk: events were lost meanwhile, so a flow
/// waiting for one (a PlaybackFinished...) looks at the real state instead. Ordered with the call's events.
/// </summary>
public sealed record CallResumed : AriEvent
{
    public CallResumed(string callId) { CallId = callId; Type = "PbxRouterResume"; }

    public string CallId { get; }

    public override IEnumerable<string> ChannelIds => [CallId];
}
