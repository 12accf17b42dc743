using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Runtime;
using PbxRouter.Store;

namespace PbxRouter.Calls.Phones;

/// <summary>How ringing a leg for a phone ended: answered (the phone is then bridged with it), or the dial's status.</summary>
public sealed record LegDialResult(bool Answered, string Status, bool CallerGone);

/// <summary>
/// Rings one leg for a practice's phone, as the overflow does for a patient: a mixing bridge with the phone's channel, the
/// leg created with the runtime's CreateLegAsync (registered, its kind in its channel variables), then dialled with a
/// timeout; the phone hears ringing (180, and the far end's early media through the bridge). Answered: the phone is answered
/// and stays bridged until either side hangs up.
/// </summary>
public static class PhoneLegDial
{
    public static async Task<LegDialResult> RingAsync(PhoneCall call, CreateChannelRequest leg, LegKind kind, string who, string? callerFrom,
        TimeSpan ringTime, PhoneCallRecord record, CancellationToken ct)
    {
        var bridge = call.Add(call.NewId("bridge"), LegKind.Bridge);
        await call.Ari.Bridges.CreateAsync("mixing", bridge.Id, ct: ct).ConfigureAwait(false);
        if (!await call.OnCallerAsync(() => call.Ari.Bridges.AddChannelAsync(bridge.Id, call.CallId, ct: ct), "join the bridge").ConfigureAwait(false))
            return new LegDialResult(false, "CANCEL", true);
        var legId = leg.ChannelId!;
        try
        {
            if (!await call.CreateLegAsync(leg, kind, who, ct).ConfigureAwait(false))
                return await NotAnsweredAsync(call, legId, bridge, "CHANUNAVAIL (the leg did not start)", ct).ConfigureAwait(false);
            await call.Ari.Bridges.AddChannelAsync(bridge.Id, legId, ct: ct).ConfigureAwait(false);
            await call.Ari.Channels.DialAsync(legId, callerFrom, CallWaits.DialTimeout(ringTime), ct).ConfigureAwait(false);
        }
        catch (AriException e) when (!call.CallerGone)
        {
            return await NotAnsweredAsync(call, legId, bridge, $"CHANUNAVAIL ({e.Message})", ct).ConfigureAwait(false);
        }
        await record.StepAsync(CallStepKinds.Ringing, who).ConfigureAwait(false);
        await call.OnCallerAsync(() => call.Ari.Channels.RingAsync(call.CallId, ct), "ring").ConfigureAwait(false);
        var outcome = await call.WaitForAsync(e => e is Dial d && d.Peer?.Id == legId && d.IsFinal() || e.Ends(legId), ringTime, ct).ConfigureAwait(false);
        if (call.CallerGone)
        {
            await call.EndAllAsync().ConfigureAwait(false);
            return new LegDialResult(false, "CANCEL", true);
        }
        if (outcome is not Dial { DialStatus: "ANSWER" })
            return await NotAnsweredAsync(call, legId, bridge, await StatusAsync(call, legId, outcome, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        if (!await call.AnswerAsync(ct).ConfigureAwait(false))
        {
            await call.EndAllAsync().ConfigureAwait(false);
            return new LegDialResult(false, "CANCEL", true);
        }
        record.AnsweredBy = who;
        await record.StepAsync(CallStepKinds.Answered, who).ConfigureAwait(false);
        await TalkAsync(call, legId, who, record, ct).ConfigureAwait(false);
        return new LegDialResult(true, "ANSWER", false);
    }

    /// <summary>The phone and the leg talk until either hangs up; the other side is then hung up.</summary>
    private static async Task TalkAsync(PhoneCall call, string legId, string who, PhoneCallRecord record, CancellationToken ct)
    {
        while (!call.CallerGone)
        {
            var e = await call.NextEventAsync(TimeSpan.FromMinutes(5), ct).ConfigureAwait(false);
            if (e is not null && e.Ends(legId))
            {
                record.HungUpBy = who;
                await call.HangUpCallerAsync("normal", ct).ConfigureAwait(false);
                break;
            }
        }
        if (!call.Legs.Contains(legId))
        {
            // An attended transfer took the leg into a patient's call (the phone consulted this person first), then the engine
            // hung this phone's channel up: the conversation goes on there.
            await record.StepAsync(CallStepKinds.Transferred, who, "attended transfer: the conversation was handed to the patient's call").ConfigureAwait(false);
            record.HungUpBy = "engine";
        }
        record.HungUpBy ??= "caller";
        await record.StepAsync(CallStepKinds.HungUp, record.HungUpBy).ConfigureAwait(false);
        await call.EndAllAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// How the dial ended: its Dial status; when the leg's hang-up came first (a 486 from a phone ends the leg before the Dial
    /// event), the Dial event that follows it, else the hang-up's cause (17 busy, 19 no answer...).
    /// </summary>
    private static async Task<string> StatusAsync(PhoneCall call, string legId, AriEvent? outcome, CancellationToken ct)
    {
        switch (outcome)
        {
            case Dial d:
                return d.DialStatus;
            case null:
                return "NOANSWER";
        }
        var cause = outcome switch { ChannelHangupRequest h => h.Cause, ChannelDestroyed d => d.Cause, _ => null };
        var dial = await call.WaitForAsync(e => e is Dial d && d.Peer?.Id == legId && d.IsFinal() || e is ChannelDestroyed x && x.Channel?.Id == legId,
            TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
        return dial switch
        {
            Dial d => d.DialStatus,
            ChannelDestroyed d when d.Cause is 17 or 19 or 21 => CauseStatus(d.Cause),
            _ => CauseStatus(cause),
        };
    }

    private static string CauseStatus(int? cause) => cause switch
    {
        17 => "BUSY",
        18 or 19 => "NOANSWER",
        21 => "CONGESTION",
        _ => "HANGUP",
    };

    private static async Task<LegDialResult> NotAnsweredAsync(PhoneCall call, string legId, CallLeg bridge, string status, CancellationToken ct)
    {
        await call.EndAsync(legId, ct: ct).ConfigureAwait(false);
        await call.EndAsync(bridge, ct: ct).ConfigureAwait(false);
        // A prompt played while the phone is still leaving the destroyed bridge is lost without a PlaybackFinished
        // (seen here: the play answered 201, then nothing, and the playback was unknown 20 s later): wait until it left.
        await call.WaitForAsync(e => e is ChannelLeftBridge l && l.Channel?.Id == call.CallId && l.Bridge?.Id == bridge.Id,
            TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
        return new LegDialResult(false, status, call.CallerGone);
    }
}
