using PbxRouter.Ari;
using PbxRouter.Ari.Events;

namespace PbxRouter.Calls.Phones;

/// <summary>Where a flow reads its call's next event from (a CallContext's or a PhoneCall's ordered inbox); null on timeout.</summary>
public delegate Task<AriEvent?> NextEvent(TimeSpan timeout, CancellationToken ct);

/// <summary>What a bounded play or digit read ended with.</summary>
public sealed record AudioResult(bool Gone, string Digits);

/// <summary>Prompts and digit reads on one channel, always bounded in time and in digits (a DTMF flood cannot hold a call).</summary>
public static class CallAudio
{
    /// <summary>Longest a single prompt may take before the flow goes on anyway.</summary>
    public static readonly TimeSpan MaxPrompt = TimeSpan.FromSeconds(60);

    /// <summary>Plays media (comma-separated URIs play in turn) and waits for its end; with <paramref name="interruptible"/> a digit stops it and is returned.</summary>
    public static async Task<AudioResult> PlayAsync(AriClient ari, string channelId, string media, string playbackId, NextEvent next,
        bool interruptible, CancellationToken ct, string lang = "fr")
    {
        if (!await StartAsync(ari, channelId, media, playbackId, lang, ct).ConfigureAwait(false)) return new AudioResult(true, "");
        var deadline = DateTime.UtcNow + MaxPrompt;
        while (DateTime.UtcNow < deadline)
        {
            var e = await next(deadline - DateTime.UtcNow, ct).ConfigureAwait(false);
            if (e is null) break;
            if (IsGone(e, channelId)) return new AudioResult(true, "");
            if (e is PlaybackFinished p && p.Playback.Id == playbackId) return new AudioResult(false, "");
            if (interruptible && e is ChannelDtmfReceived d && d.Channel.Id == channelId)
            {
                await StopAsync(ari, playbackId, ct).ConfigureAwait(false);
                return new AudioResult(false, d.Digit);
            }
        }
        await StopAsync(ari, playbackId, ct).ConfigureAwait(false);
        return new AudioResult(false, "");
    }

    /// <summary>
    /// Reads up to <paramref name="maxDigits"/> digits ended by # (digits pressed during the prompt count and stop it).
    /// The first digit is awaited <paramref name="firstDigit"/> after the prompt, each next one <paramref name="betweenDigits"/>.
    /// </summary>
    public static async Task<AudioResult> ReadDigitsAsync(AriClient ari, string channelId, string? prompt, string playbackId, NextEvent next,
        int maxDigits, TimeSpan firstDigit, TimeSpan betweenDigits, CancellationToken ct)
    {
        var digits = new System.Text.StringBuilder();
        var playing = prompt is not null && await StartAsync(ari, channelId, prompt, playbackId, "fr", ct).ConfigureAwait(false);
        if (prompt is not null && !playing) return new AudioResult(true, "");
        var deadline = DateTime.UtcNow + (playing ? MaxPrompt : firstDigit);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) break;
            var e = await next(left, ct).ConfigureAwait(false);
            if (e is null) break;
            if (IsGone(e, channelId)) return new AudioResult(true, digits.ToString());
            if (e is PlaybackFinished p && p.Playback.Id == playbackId && playing)
            {
                playing = false;
                deadline = DateTime.UtcNow + (digits.Length == 0 ? firstDigit : betweenDigits);
            }
            else if (e is ChannelDtmfReceived d && d.Channel.Id == channelId)
            {
                if (playing) await StopAsync(ari, playbackId, ct).ConfigureAwait(false);
                playing = false;
                if (d.Digit == "#") break;
                digits.Append(d.Digit);
                if (digits.Length >= maxDigits) break;
                deadline = DateTime.UtcNow + betweenDigits;
            }
        }
        if (playing) await StopAsync(ari, playbackId, ct).ConfigureAwait(false);
        return new AudioResult(false, digits.ToString());
    }

    /// <summary>True for the events that end <paramref name="channelId"/>'s presence in the application.</summary>
    public static bool IsGone(AriEvent e, string channelId) => e switch
    {
        ChannelHangupRequest h => h.Channel.Id == channelId,
        StasisEnd s => s.Channel.Id == channelId,
        ChannelDestroyed d => d.Channel.Id == channelId,
        _ => false,
    };

    /// <summary>Hangs a channel up; already gone (404) or not in Stasis any more (409) is fine.</summary>
    public static async Task HangupQuietlyAsync(AriClient ari, string channelId, string reason, CancellationToken ct)
    {
        try
        {
            await ari.Channels.HangupAsync(channelId, reason, ct).ConfigureAwait(false);
        }
        catch (AriException ex) when (ex.StatusCode is 404 or 409)
        {
        }
    }

    private static async Task<bool> StartAsync(AriClient ari, string channelId, string media, string playbackId, string lang, CancellationToken ct)
    {
        try
        {
            await ari.Channels.PlayAsync(channelId, media, playbackId, lang, ct).ConfigureAwait(false);
            return true;
        }
        catch (AriException ex) when (ex.StatusCode is 404 or 409)
        {
            return false; // the channel hung up (or left Stasis) meanwhile
        }
    }

    private static async Task StopAsync(AriClient ari, string playbackId, CancellationToken ct)
    {
        try
        {
            await ari.Playbacks.StopAsync(playbackId, ct).ConfigureAwait(false);
        }
        catch (AriException ex) when (ex.StatusCode is 404 or 409)
        {
            // Already finished.
        }
    }
}
