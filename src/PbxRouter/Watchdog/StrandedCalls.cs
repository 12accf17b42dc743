using PbxRouter.Ari;
using PbxRouter.Calls.Engine;

namespace PbxRouter.Watchdog;

/// <summary>What the watchdog does with one channel the engine left in Stasis.</summary>
public enum StrandedAction
{
    /// <summary>A caller (a patient from the trunk): continue to the practice's fallback route at the called number.</summary>
    Fallback,
    /// <summary>A phone of the practice (internal call, feature code): continue to the phones' fallback context.</summary>
    PhoneFallback,
    /// <summary>An outgoing leg of the engine (to a phone, a secretariat, a mobile) that is not in a conversation: hung up.</summary>
    HangUpLeg,
    /// <summary>A caller whose conversation ended while the engine was away (its partner hung up): hung up, as the engine would.</summary>
    HangUpAfterConversation,
    /// <summary>Up and bridged with another answered channel: a conversation that does not need the engine; left alone.</summary>
    LeaveConversation,
}

/// <summary>One decision: the channel, what to do, and where to continue (context and extension) for the fallbacks.</summary>
public sealed record StrandedCall(string ChannelId, StrandedAction Action, string Kind, string? Context, string? Extension, string CallerNumber);

/// <summary>
/// Sorts the channels of the engine's Stasis application (pure: from one read of the application, the channels and the
/// bridges). A channel counts only when its dialplan says it is in Stasis() of that application (app_name "Stasis",
/// app_data "APP,KIND,..."): the dialplan passes KIND "inbound" (callers) or "phone", the engine's outgoing legs are created
/// with "leg" or "leg,escalation". Legs come first, so that phones stop ringing before their caller leaves.
/// </summary>
public static class StrandedCalls
{
    public static IReadOnlyList<StrandedCall> Triage(string engineApp, IReadOnlyList<string> appChannelIds, IReadOnlyList<Channel> channels,
        IReadOnlyList<Bridge> bridges, string fallbackContext, string phoneFallbackContext, IReadOnlySet<string> seenInConversation)
    {
        // Asterisk may list one channel twice while a transfer swaps channels (seen during an attended transfer): the last one wins.
        var byId = new Dictionary<string, Channel>(StringComparer.Ordinal);
        foreach (var channel in channels) byId[channel.Id] = channel;
        var result = new List<StrandedCall>();
        foreach (var id in appChannelIds)
        {
            if (!byId.TryGetValue(id, out var channel) || StasisArgs(channel, engineApp) is not { } args) continue;
            var kind = args.Count > 0 ? args[0] : "";
            var caller = channel.Caller.Number;
            if (InConversation(channel, byId, bridges))
            {
                result.Add(new StrandedCall(id, StrandedAction.LeaveConversation, kind, null, null, caller));
                continue;
            }
            if (kind.StartsWith("leg", StringComparison.Ordinal))
            {
                result.Add(new StrandedCall(id, StrandedAction.HangUpLeg, kind, null, null, caller));
                continue;
            }
            if (seenInConversation.Contains(id))
            {
                result.Add(new StrandedCall(id, StrandedAction.HangUpAfterConversation, kind, null, null, caller));
                continue;
            }
            var exten = StasisArguments.FallbackExtension(StasisArguments.Parse(args, channel.Dialplan?.Exten).Called);
            result.Add(kind == "phone"
                ? new StrandedCall(id, StrandedAction.PhoneFallback, kind, phoneFallbackContext, exten, caller)
                : new StrandedCall(id, StrandedAction.Fallback, kind, fallbackContext, exten, caller));
        }
        return [.. result.OrderBy(c => c.Action == StrandedAction.HangUpLeg ? 0 : 1)];
    }

    /// <summary>The Stasis() arguments after the application name, or null when the channel is not in Stasis() of <paramref name="app"/>.</summary>
    public static IReadOnlyList<string>? StasisArgs(Channel channel, string app)
    {
        if (channel.Dialplan is not { AppName: "Stasis", AppData: { } data }) return null;
        var parts = data.Split(',');
        return parts[0] == app ? parts[1..] : null;
    }

    /// <summary>Answered and in a mixing bridge with another answered channel (callers waiting together in a holding bridge do not talk).</summary>
    private static bool InConversation(Channel channel, IReadOnlyDictionary<string, Channel> byId, IReadOnlyList<Bridge> bridges) =>
        IsUp(channel) && bridges.Any(b => b.BridgeType == "mixing" && b.Channels.Contains(channel.Id)
            && b.Channels.Any(other => other != channel.Id && byId.TryGetValue(other, out var c) && IsUp(c)));

    private static bool IsUp(Channel c) => c.State == "Up";
}
