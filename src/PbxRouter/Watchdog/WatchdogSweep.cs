using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls;
using PbxRouter.Calls.Engine;

namespace PbxRouter.Watchdog;

/// <summary>
/// One pass over the channels the engine left in Stasis, once it has been away for the whole bound: callers continue to
/// the fallback route (<see cref="FallbackRoute"/>: retried with backoff, hung up rather than left in silence), legs are hung
/// up, conversations are left alone. Before each move it asks whether the engine is still away and stops as soon as it is
/// not. Safe to repeat: a channel already moved answers 404/409 and is skipped.
/// </summary>
public sealed class WatchdogSweep(AriClient ari, string engineApp, string fallbackContext, WatchdogOptions options, ILogger logger, TimeProvider time)
{
    private readonly HashSet<string> _conversations = [];
    private readonly FallbackRoute _fallback = new(ari, fallbackContext, logger, time);
    private readonly FallbackRoute _phoneFallback = new(ari, options.PhoneFallbackContext, logger, time);

    /// <summary>The engine is back: forget the conversations seen while it was away.</summary>
    public void Forget() => _conversations.Clear();

    /// <summary>Moves what needs moving; returns how many channels were moved or hung up.</summary>
    public async Task<int> RunAsync(Func<CancellationToken, Task<bool>> stillAway, Func<TimeSpan> awayFor, CancellationToken ct)
    {
        Application app;
        try
        {
            app = await ari.Applications.GetAsync(engineApp, ct).ConfigureAwait(false);
        }
        catch (AriNotFoundException)
        {
            return 0; // Asterisk forgot the application: nothing of it is left in Stasis.
        }
        _conversations.IntersectWith(app.ChannelIds);
        if (app.ChannelIds.Count == 0) return 0;
        var channels = await ari.Channels.ListAsync(ct).ConfigureAwait(false);
        var bridges = await ari.Bridges.ListAsync(ct).ConfigureAwait(false);
        var calls = StrandedCalls.Triage(engineApp, app.ChannelIds, channels, bridges, fallbackContext, options.PhoneFallbackContext, _conversations);
        var moved = 0;
        foreach (var call in calls)
        {
            if (call.Action == StrandedAction.LeaveConversation)
            {
                if (_conversations.Add(call.ChannelId))
                    logger.LogInformation("Watchdog: {ChannelId} ({Kind}) is in a conversation; left alone while it lasts", call.ChannelId, UntrustedText.ForDisplay(call.Kind));
                continue;
            }
            if (!await stillAway(ct).ConfigureAwait(false))
            {
                logger.LogInformation("Watchdog: the engine is back; sweep stopped before {ChannelId}", call.ChannelId);
                break;
            }
            if (await ActAsync(call, awayFor(), ct).ConfigureAwait(false)) moved++;
        }
        return moved;
    }

    private async Task<bool> ActAsync(StrandedCall call, TimeSpan away, CancellationToken ct)
    {
        var caller = PhoneNumberMask.Mask(call.CallerNumber);
        switch (call.Action)
        {
            case StrandedAction.Fallback or StrandedAction.PhoneFallback:
                var route = call.Action == StrandedAction.Fallback ? _fallback : _phoneFallback;
                var result = await route.TakeAsync(call.ChannelId, call.Extension!, ct).ConfigureAwait(false);
                if (result == FallbackResult.Gone) return false;
                logger.LogWarning(
                    "Watchdog moved {Kind} {ChannelId} from {Caller} to {Context},{Exten},1 ({Result}): engine away {Away:0.0} s (bound {Bound:0.#} s)",
                    UntrustedText.ForDisplay(call.Kind), call.ChannelId, caller, call.Context, call.Extension, result, away.TotalSeconds, options.Bound.TotalSeconds);
                return true;
            default:
                try
                {
                    await ari.Channels.HangupAsync(call.ChannelId, "normal", ct).ConfigureAwait(false);
                }
                catch (AriNotFoundException)
                {
                    return false;
                }
                _conversations.Remove(call.ChannelId);
                logger.LogWarning("Watchdog hung up {What} {ChannelId} ({Kind}): engine away {Away:0.0} s (bound {Bound:0.#} s)",
                    call.Action == StrandedAction.HangUpLeg ? "outgoing leg" : "caller whose conversation ended", call.ChannelId, UntrustedText.ForDisplay(call.Kind),
                    away.TotalSeconds, options.Bound.TotalSeconds);
                return true;
        }
    }
}
