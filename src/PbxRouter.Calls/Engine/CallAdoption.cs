using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Runtime;
using PbxRouter.Store;

namespace PbxRouter.Calls.Engine;

/// <summary>A channel in Stasis that no call of this engine owns, as Asterisk describes it.</summary>
/// <param name="Leg">The kind of an outgoing leg (its <see cref="CallLeg.KindVariable"/>); null for a caller.</param>
/// <param name="OfCall">The caller's channel of the call the leg belongs to.</param>
/// <param name="Saved">A caller's saved state (<see cref="SavedCall.Variable"/>).</param>
internal sealed record OrphanChannel(Channel Channel, LegKind? Leg, string? OfCall, string? Who, SavedCall? Saved)
{
    public string Id => Channel.Id;
}

/// <summary>
/// Posted on a caller's own event queue when the engine takes over a call a previous engine left in Stasis: the call
/// then starts in order with its channel's events, like a StasisStart.
/// </summary>
internal sealed record AdoptCall : AriEvent
{
    public AdoptCall(OrphanChannel caller, SavedConnection? connection, string? bridge, LegKind? connectedKind)
    {
        (Caller, Connection, Bridge, ConnectedKind) = (caller, connection, bridge, connectedKind);
        Type = "PbxRouterAdopt";
    }

    public OrphanChannel Caller { get; }
    /// <summary>The conversation found up (or saved as up: its leg may have hung up meanwhile).</summary>
    public SavedConnection? Connection { get; }
    /// <summary>The bridge joining the caller and the connected leg.</summary>
    public string? Bridge { get; }
    public LegKind? ConnectedKind { get; }

    public override IEnumerable<string> ChannelIds => [Caller.Id];
}

/// <summary>
/// What a previous engine (crashed, killed, restarted) left in Stasis, read from Asterisk after this engine connects,
/// and made ready to take over: each caller with the conversation it is in (kept), the legs nobody needs any more
/// (hung up: a ringing attempt is run again by the step), the bridges nobody owns (destroyed).
/// </summary>
internal sealed class CallAdoption(AriClient ari, ILogger logger, TimeProvider time)
{
    /// <summary>Reads the orphans, ends what nobody needs, and returns the calls to take over.</summary>
    /// <param name="owned">True for a channel or bridge a live call of this engine owns.</param>
    public async Task<IReadOnlyList<AdoptCall>> PrepareAsync(IReadOnlyCollection<string> orphanIds, IReadOnlyCollection<string> bridgeIds,
        Func<string, bool> owned, CancellationToken ct)
    {
        var orphans = await ReadAsync(orphanIds, ct).ConfigureAwait(false);
        var callers = orphans.Where(o => o.Leg is null).ToList();
        var legs = orphans.Where(o => o.Leg is not null).ToList();
        var bridges = orphans.Count == 0 && bridgeIds.Count == 0 ? [] : await ari.Bridges.ListAsync(ct).ConfigureAwait(false);
        var adoptions = new List<AdoptCall>();
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var caller in callers)
        {
            // Only a patient's conversation is kept: a phone's own call (feature code, voicemail) starts over.
            var (connection, bridge, kind) = StasisArgs(caller.Channel) is ["inbound", ..]
                ? ConnectionOf(caller, legs.Where(l => l.OfCall == caller.Id).ToList(), bridges) : (null, null, null);
            if (connection is not null) kept.Add(connection.Leg);
            if (bridge is not null) kept.Add(bridge);
            adoptions.Add(new AdoptCall(caller, connection, bridge, kind));
        }
        foreach (var leg in legs.Where(l => !kept.Contains(l.Id) && !(l.OfCall is { } call && owned(call))))
        {
            logger.LogInformation("Leg {ChannelId} ({Kind}) of call {CallId} was left ringing or waiting by a previous engine: hung up",
                leg.Id, leg.Leg, leg.OfCall ?? "unknown");
            await EndAsync(() => ari.Channels.HangupAsync(leg.Id, "normal", ct)).ConfigureAwait(false);
        }
        foreach (var bridge in bridges.Where(b => bridgeIds.Contains(b.Id) && !kept.Contains(b.Id) && !owned(b.Id)))
        {
            logger.LogInformation("Bridge {BridgeId} was left by a previous engine: destroyed", bridge.Id);
            await EndAsync(() => ari.Bridges.DestroyAsync(bridge.Id, ct)).ConfigureAwait(false);
        }
        return adoptions;
    }

    /// <summary>
    /// The conversation a caller is in: the one it saved, else a leg that answered and shares a bridge with the caller
    /// (the engine stopped between bridging and saving). A saved conversation whose leg is gone is still returned: the
    /// other side hung up while no engine listened, and the call ends as a conversation that took place.
    /// </summary>
    private (SavedConnection? Connection, string? Bridge, LegKind? Kind) ConnectionOf(OrphanChannel caller, IReadOnlyList<OrphanChannel> legs,
        IReadOnlyList<Bridge> bridges)
    {
        string? BridgeWith(string leg) => bridges.FirstOrDefault(b => b.Channels.Contains(caller.Id) && b.Channels.Contains(leg))?.Id;
        if (caller.Saved?.Connection is { } saved)
        {
            var with = BridgeWith(saved.Leg);
            if (with is null)
                logger.LogWarning("Call {CallId}: its conversation with {Who} (leg {Leg}) is in no bridge with it; bridges: {Bridges}", caller.Id,
                    saved.AnsweredBy, saved.Leg, string.Join("; ", bridges.Select(b => $"{b.Id} [{string.Join(", ", b.Channels)}]")));
            return (saved, with, legs.FirstOrDefault(l => l.Id == saved.Leg)?.Leg);
        }
        foreach (var leg in legs)
        {
            if (leg.Channel.State != "Up" || BridgeWith(leg.Id) is not { } bridge) continue;
            var outcome = leg.Leg == LegKind.SecretariatLeg ? CallOutcomes.Overflowed : CallOutcomes.Answered;
            var who = leg.Who ?? leg.Leg.ToString()!;
            return (new SavedConnection(leg.Id, who, outcome, time.GetUtcNow()), bridge, leg.Leg);
        }
        return (null, null, null);
    }

    /// <summary>Each channel still in Stasis (a channel that left it or hung up meanwhile is skipped).</summary>
    private async Task<List<OrphanChannel>> ReadAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        var found = new List<OrphanChannel>();
        foreach (var id in ids)
        {
            try
            {
                var channel = await ari.Channels.GetAsync(id, ct).ConfigureAwait(false);
                if (channel.Dialplan?.AppName is { } app && !app.Equals("Stasis", StringComparison.OrdinalIgnoreCase)) continue;
                var kind = CallLeg.ParseKind(await ari.Channels.GetVariableAsync(id, CallLeg.KindVariable, ct).ConfigureAwait(false));
                found.Add(kind is not null
                    ? new OrphanChannel(channel, kind, await ari.Channels.GetVariableAsync(id, CallLeg.CallVariable, ct).ConfigureAwait(false),
                        await ari.Channels.GetVariableAsync(id, CallLeg.WhoVariable, ct).ConfigureAwait(false), null)
                    : new OrphanChannel(channel, null, null, null,
                        SavedCall.Parse(await ari.Channels.GetVariableAsync(id, SavedCall.Variable, ct).ConfigureAwait(false))));
            }
            catch (AriException e) when (Gone.IsLeg(e))
            {
                // Hung up (or out of Stasis) between the list and now: nothing to take over.
            }
        }
        return found;
    }

    private static async Task EndAsync(Func<Task> end)
    {
        try
        {
            await end().ConfigureAwait(false);
        }
        catch (AriException e) when (Gone.IsLeg(e))
        {
        }
    }

    /// <summary>The Stasis() arguments a caller's channel entered with (its dialplan application data, without the app name).</summary>
    public static IReadOnlyList<string> StasisArgs(Channel channel) =>
        channel.Dialplan?.AppData is { Length: > 0 } data ? data.Split(',').Skip(1).ToArray() : [];
}
