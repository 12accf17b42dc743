using PbxRouter.Ari.Events;
using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Reception;

/// <summary>A caller waiting in a queue: music, position announcements, the urgent key, and leaving the wait.</summary>
/// <param name="since">When the caller joined the line (before a restart of the engine, for a caller whose place was kept).</param>
internal sealed class QueueWait(CallContext call, Queue queue, QueueCoordinator line, DateTimeOffset since)
{
    private TimeSpan _lastAnnounced;
    private string? _announcement;

    public CallContext Call => call;
    public Queue Queue => queue;
    public QueueCoordinator Line => line;
    /// <summary>When the caller joined the line.</summary>
    public DateTimeOffset Since => since;
    /// <summary>How long the caller has waited in this queue (the max wait counts from their arrival).</summary>
    public TimeSpan Elapsed => call.Time.GetUtcNow() - since;

    public Task StartMusicAsync(CancellationToken ct) =>
        call.OnCallerAsync(() => call.Ari.Channels.StartMohAsync(call.CallId, queue.Music, ct), "start music on hold");

    /// <summary>
    /// Waits out <paramref name="slice"/>, handling the caller's events as they come (hang-up, urgent key, end of an
    /// announcement); a result when the wait is over. Returns null once the slice elapsed or the line changed (a caller
    /// left, a member was freed), never because an event arrived: the caller's events (a DTMF flood included) do not
    /// make the queue re-check its members, which costs one ARI request per member.
    /// </summary>
    public async Task<StepOutcome?> IdleAsync(TimeSpan slice, CancellationToken ct)
    {
        var changed = line.Changed;
        var started = call.Time.GetTimestamp();
        while (true)
        {
            var left = slice - call.Time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || changed.IsCompleted) return await OnEventAsync(null, ct);
            var e = await NextEventOrChangeAsync(left, changed, ct);
            if (await OnEventAsync(e, ct) is { } over) return over;
            if (e is null) return null;
        }
    }

    /// <summary>
    /// The caller's next event; null when <paramref name="timeout"/> passed or the line changed first. A change wakes
    /// every waiting caller, so it ends the read without an exception (a cancelled read cost about 40 exceptions per
    /// call at 20 calls/s); the call's events stay in its inbox.
    /// </summary>
    private Task<AriEvent?> NextEventOrChangeAsync(TimeSpan timeout, Task changed, CancellationToken ct) =>
        call.WaitForAsync(_ => true, timeout, ct, wake: changed);

    /// <summary>Handles an event of the waiting caller: hang-up, urgent key, end of a position announcement.</summary>
    public async Task<StepOutcome?> OnEventAsync(AriEvent? e, CancellationToken ct)
    {
        if (call.CallerGone) return Leave(new StepOutcome.CallerGone());
        switch (e)
        {
            case ChannelDtmfReceived d when d.IsKey(call.CallId, queue.UrgentKey):
                await call.OnCallerAsync(() => call.Ari.Channels.StopMohAsync(call.CallId, ct), "stop music on hold");
                return Leave(await call.UrgentKeyPressedAsync(d.Digit));
            case PlaybackFinished p when p.Playback.Id == _announcement:
                // A playback suspends music on hold and does not resume it.
                call.Forget(p.Playback.Id);
                _announcement = null;
                await StartMusicAsync(ct);
                break;
        }
        await AnnouncePositionIfDueAsync(ct);
        return null;
    }

    /// <summary>The caller leaves the queue without a member: no more music or announcement over the next step.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        if (_announcement is { } playing) await call.EndAsync(playing, ct: ct);
        await call.OnCallerAsync(() => call.Ari.Channels.StopMohAsync(call.CallId, ct), "stop music on hold");
    }

    public StepOutcome Leave(StepOutcome result)
    {
        line.Leave(call.CallId);
        return result;
    }

    private async Task AnnouncePositionIfDueAsync(CancellationToken ct)
    {
        if (queue.PositionInterval is not { } every || _announcement is not null || Elapsed - _lastAnnounced < every) return;
        _lastAnnounced = Elapsed;
        var position = line.PositionOf(call.CallId);
        if (position < 1) return;
        var id = call.NewId("position");
        if (await call.OnCallerAsync(() => call.Ari.Channels.PlayAsync(call.CallId, $"sound:pbxrouter/file-position,number:{position}", id, ct: ct),
                "announce the position"))
        {
            _announcement = call.Add(id, LegKind.Playback).Id;
            await call.RecordAsync(CallStepKinds.Announced, "position", $"position {position}");
        }
    }
}
