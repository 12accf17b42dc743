using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;

namespace PbxRouter.Calls.Runtime;

/// <summary>What every call runs on: ARI, the per-call event queues, the clock, a logger, and the engine's hand-over of legs between calls.</summary>
public sealed record CallServices(AriClient Ari, CallEventQueues Queues, TimeProvider Time, ILogger Logger, ILegHandover? Handover = null);

/// <summary>
/// One call in progress as its flow sees it: the caller's channel (the call's id and event-queue key), its one ordered
/// inbox, the legs and bridges it made, the clock. The flows of every feature (reception, secretariat, escalation,
/// voicemail, phones) run on it with the waits of <see cref="CallWaits"/> and the prompts of <see cref="CallPrompts"/>.
/// </summary>
public class LiveCall
{
    private readonly CallServices _services;
    private int _ids;
    private volatile bool _callerGone, _callerLeft, _answered;

    public LiveCall(CallServices services, Channel channel)
    {
        _services = services;
        Channel = channel;
        Inbox = new CallInbox(channel.Id, services.Logger, services.Time);
        // A channel already up (answered before it reached this engine, e.g. adopted after a restart) is not answered again.
        _answered = channel.State == "Up";
    }

    public AriClient Ari => _services.Ari;
    /// <summary>The caller's channel (a patient's, or a practice phone's): also the call's id and event-queue key.</summary>
    public Channel Channel { get; }
    public string CallId => Channel.Id;
    public ILogger Logger => _services.Logger;
    public TimeProvider Time => _services.Time;
    /// <summary>Takes a leg from the call that owns it (attended transfers); null where no engine runs the calls (tests).</summary>
    public ILegHandover? Handover => _services.Handover;
    /// <summary>The channels, bridges and playbacks this call made, by kind.</summary>
    public CallLegs Legs { get; } = new();
    /// <summary>The call's one inbox, fed by its event queue.</summary>
    public CallInbox Inbox { get; }
    /// <summary>Set once the caller hung up or left Stasis (their events arrived, or a command on their channel got 404).</summary>
    public bool CallerGone => _callerGone;
    /// <summary>Set once the caller's channel left Stasis (StasisEnd or ChannelDestroyed delivered): no event of it follows.</summary>
    public bool CallerLeft => _callerLeft;
    /// <summary>Set once the caller's channel was answered (by this engine: answer is sent once).</summary>
    public bool Answered => _answered;

    /// <summary>Called by the call's event queue for every event of this call (its legs and bridges included), in order.</summary>
    public void Deliver(AriEvent e)
    {
        if (e.Ends(CallId)) _callerGone = true;
        if (e is StasisEnd or ChannelDestroyed && e.Ends(CallId)) _callerLeft = true;
        Inbox.Post(e);
    }

    /// <summary>DTMF digits this call received, and those dropped because its inbox was full (a DTMF flood).</summary>
    public (long Received, long Dropped) Dtmf => (Inbox.DtmfPosted, Inbox.DtmfDropped);

    /// <summary>Events delivered to this call that its flow has not read yet.</summary>
    public int PendingEvents => Inbox.Pending;

    /// <summary>A new id for a leg, bridge, playback or recording of this call (pre-assigned so events match).</summary>
    public string NewId(string what) => $"{CallId}-{what}-{Interlocked.Increment(ref _ids)}";

    /// <summary>Registers a leg, bridge or playback of this call; the events of a channel or bridge then come to this call.</summary>
    public CallLeg Add(string id, LegKind kind, string? who = null)
    {
        var leg = new CallLeg(id, kind, who);
        Legs.Add(leg);
        if (kind != LegKind.Playback) _services.Queues.Link(id, CallId);
        return leg;
    }

    /// <summary>The leg, bridge or playback is over: no longer the call's (its last events go to no call).</summary>
    public void Forget(string id)
    {
        if (Legs.Remove(id)) _services.Queues.Unlink(id);
    }

    /// <summary>
    /// Runs a command on the caller's channel; false when it did nothing: 404 means the caller hung up (<see cref="CallerGone"/>
    /// is set), 409/412/422 that Asterisk refused it (no longer in Stasis, wrong state...). Other failures are thrown.
    /// </summary>
    public async Task<bool> OnCallerAsync(Func<Task> command, string what)
    {
        try
        {
            await command().ConfigureAwait(false);
            return true;
        }
        catch (AriException e) when (Gone.IsCaller(e))
        {
            _callerGone = true;
            Logger.LogDebug("Call {CallId}: {What} skipped, the caller is gone", CallId, what);
            return false;
        }
        catch (AriException e) when (Gone.IsRefusal(e))
        {
            Logger.LogDebug("Call {CallId}: {What} refused: {Error}", CallId, what, e.Message);
            return false;
        }
    }

    /// <summary>Runs a command on a leg, bridge or playback of the call; false when it is gone (404/409) or refused (412/422).</summary>
    public async Task<bool> OnLegAsync(Func<Task> command)
    {
        try
        {
            await command().ConfigureAwait(false);
            return true;
        }
        catch (AriException e) when (Gone.IsLeg(e) || Gone.IsRefusal(e))
        {
            return false;
        }
    }

    /// <summary>Answers the caller once (a second answer would be refused by Asterisk); false when the caller is gone.</summary>
    public async Task<bool> AnswerAsync(CancellationToken ct)
    {
        if (_answered) return true;
        if (!await OnCallerAsync(() => Ari.Channels.AnswerAsync(CallId, ct), "answer").ConfigureAwait(false)) return false;
        _answered = true;
        return true;
    }

    /// <summary>Hangs the caller up; false when they were already gone.</summary>
    public Task<bool> HangUpCallerAsync(string reason, CancellationToken ct) =>
        OnCallerAsync(() => Ari.Channels.HangupAsync(CallId, reason, ct), "hang up");

    /// <summary>Ends one leg, bridge or playback of the call (hang-up, destroy, stop) and forgets it; gone already is fine.</summary>
    public async Task EndAsync(CallLeg leg, string reason = "normal", CancellationToken ct = default)
    {
        await OnLegAsync(() => leg.Kind switch
        {
            LegKind.Bridge => Ari.Bridges.DestroyAsync(leg.Id, ct),
            LegKind.Playback => Ari.Playbacks.StopAsync(leg.Id, ct),
            _ => Ari.Channels.HangupAsync(leg.Id, reason, ct),
        }).ConfigureAwait(false);
        Forget(leg.Id);
    }

    /// <summary>Ends the leg, bridge or playback with this id if the call still has it.</summary>
    public Task EndAsync(string id, string reason = "normal", CancellationToken ct = default) =>
        Legs.Find(id) is { } leg ? EndAsync(leg, reason, ct) : Task.CompletedTask;

    /// <summary>Ends every leg, bridge and playback of the call, newest first; failures other than "gone" are logged.</summary>
    public async Task EndAllAsync()
    {
        foreach (var leg in Legs.All.Reverse())
        {
            try
            {
                await EndAsync(leg, ct: CancellationToken.None).ConfigureAwait(false);
            }
            catch (AriException e)
            {
                Logger.LogWarning("Call {CallId}: could not end {Kind} {Id}: {Error}", CallId, leg.Kind, leg.Id, e.Message);
            }
        }
    }
}

/// <summary>
/// The one rule for "already gone" in telephony: a 404 on the caller's channel means the caller hung up; a 404 or 409 on
/// a leg, bridge or playback means it ended or left Stasis. Neither is an error.
/// </summary>
public static class Gone
{
    public static bool IsCaller(AriException e) => e.StatusCode == 404;

    public static bool IsLeg(AriException e) => e.StatusCode is 404 or 409;

    /// <summary>409/412/422 on the caller: Asterisk refused the command (not in Stasis any more, wrong state, unprocessable); nothing happened.</summary>
    public static bool IsRefusal(AriException e) => e.StatusCode is 409 or 412 or 422;

    /// <summary>True when <paramref name="e"/> says the caller of <paramref name="call"/> is gone.</summary>
    public static bool IsCallerGone(this LiveCall call, Exception e) =>
        e is AriException { StatusCode: 404 } a && a.ResourceId == call.CallId;
}
