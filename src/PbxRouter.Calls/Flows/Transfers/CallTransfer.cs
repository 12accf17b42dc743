using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Calls.Runtime;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Transfers;

/// <summary>
/// A secretary's phone pressed its transfer key (SIP REFER) during a conversation with a patient. Asterisk hands the
/// REFER to the engine (the secretary's leg has PJSIP_TRANSFER_HANDLING(ari-only): ChannelTransfer) and does nothing
/// more; the engine keeps the patient's call: blind (Refer-To names a phone of the practice: it rings, and the patient
/// is bridged with it once it answers) or attended (Refer-To replaces the secretary's consultation call: the doctor's
/// leg of that call joins the patient's bridge). The secretary's phone is told how it went (transfer_progress: NOTIFY
/// 200, or 503/603); a failed transfer leaves the patient with the secretary, or sends them back to the plan when the
/// secretary hung up meanwhile.
/// </summary>
internal sealed class CallTransfer(CallContext call, EngineOptions options)
{
    /// <summary>Channel variable that makes Asterisk hand a phone leg's REFER to the engine instead of the dialplan.</summary>
    public const string HandlingVariable = "PJSIP_TRANSFER_HANDLING()";

    /// <summary>
    /// Makes a phone leg's transfers the engine's (set when the leg is created). Per leg, not on the phone's endpoint: a
    /// phone's REFER outside the engine's calls (its fallback route while the engine is down) keeps Asterisk's own handling.
    /// </summary>
    public static void HandleTransfers(IDictionary<string, string> variables) => variables[HandlingVariable] = "ari-only";

    public async Task<TransferResult> RunAsync(ChannelTransfer refer, StepOutcome.Connected current, CancellationToken ct)
    {
        if (call.Legs.All.LastOrDefault(l => l.Kind == LegKind.Bridge) is not { } bridge)
            return await FailedAsync(current, refer.ReferTo.RequestedDestination.Destination ?? "?", "the patient is not in a bridge", "channel_unavailable", false);
        return refer.ReferTo.DestinationChannel is not null || refer.ReferTo.RequestedDestination.ProtocolId is { Length: > 0 }
            ? await AttendedAsync(refer, current, bridge, ct)
            : await BlindAsync(refer.ReferTo.RequestedDestination.Destination, current, bridge, ct);
    }

    private async Task<TransferResult> BlindAsync(string? destination, StepOutcome.Connected current, CallLeg bridge, CancellationToken ct)
    {
        var shown = UntrustedText.ForDisplay(destination ?? "", 40);
        var phone = TransferTargets.Find(call.Rules, call.Plan.PracticeId, destination);
        if (phone is null)
            return await FailedAsync(current, shown, $"no phone of {call.Plan.PracticeId} has extension or id '{shown}'", "channel_unavailable", false);
        var target = phone.Id.Value;
        if (target == current.AnsweredBy) return await FailedAsync(current, target, "the phone is already on the call", "channel_declined", false);
        call.Logger.LogInformation("Call {CallId}: {By} transfers the patient to {Target} (blind)", call.CallId, current.AnsweredBy, target);
        var legId = call.NewId("transfer");
        var variables = call.Patient.Presented ? new Dictionary<string, string>() : call.Patient.ConnectedLine();
        HandleTransfers(variables);
        try
        {
            var request = new CreateChannelRequest
            {
                Endpoint = $"PJSIP/{PjsipConfig.PhoneEndpoint(call.Plan.PracticeId!, target)}", ChannelId = legId, AppArgs = "leg",
                Originator = call.CallId, Variables = variables,
            };
            if (!await call.CreateLegAsync(request, LegKind.PhoneLeg, target, ct))
                return await NotAnsweredAsync(current, legId, target, "the phone's line did not start", false);
            await call.Ari.Channels.DialAsync(legId, call.Patient.Presented ? call.CallId : null, CallWaits.DialTimeout(options.TransferRingTime), ct);
        }
        catch (AriException e) when (!call.CallerGone)
        {
            return await NotAnsweredAsync(current, legId, target, $"CHANUNAVAIL ({e.Message})", false);
        }
        await call.RecordAsync(CallStepKinds.Ringing, target, $"transfer by {current.AnsweredBy}");
        // The patient hears music while the doctor's phone rings (the secretary's phone may have put them on hold too).
        await call.OnCallerAsync(() => call.Ari.Channels.StartMohAsync(call.CallId, null, ct), "music during the transfer");
        try
        {
            return await RingAsync(current, bridge, legId, target, shown, ct);
        }
        catch (OperationCanceledException)
        {
            // The engine stops mid-transfer: the patient stays with the secretary for the next engine, without the music.
            await call.OnCallerAsync(() => call.Ari.Channels.StopMohAsync(call.CallId, CancellationToken.None), "stop the music");
            throw;
        }
    }

    /// <summary>Waits for the doctor's phone: answered (bridged), failed, or the ring time over; notes a secretary who hangs up meanwhile.</summary>
    private async Task<TransferResult> RingAsync(StepOutcome.Connected current, CallLeg bridge, string legId, string target, string shown, CancellationToken ct)
    {
        var secretaryGone = false;
        var started = call.Time.GetTimestamp();
        while (true)
        {
            var left = options.TransferRingTime - call.Time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero) return await NotAnsweredAsync(current, legId, target, "NOANSWER", secretaryGone);
            var e = await call.WaitForAsync(_ => true, left, ct);
            if (call.CallerGone)
            {
                await call.EndAsync(legId, "normal", CancellationToken.None);
                return new TransferResult.CallerGone();
            }
            if (e is Dial d && d.Peer?.Id == legId && d.IsFinal())
            {
                if (d.DialStatus == "ANSWER") return await ConnectBlindAsync(current, bridge, legId, target, shown, secretaryGone, ct);
                return await NotAnsweredAsync(current, legId, target, d.DialStatus, secretaryGone);
            }
            if (e is not null && e.Ends(legId)) return await NotAnsweredAsync(current, legId, target, await EndStatusAsync(legId, e, ct), secretaryGone);
            if (e is not null && !secretaryGone && e.Ends(current.Leg))
            {
                // A truly blind phone hangs up as soon as its REFER is accepted: the transfer goes on without it.
                secretaryGone = true;
                call.Forget(current.Leg);
            }
        }
    }

    private async Task<TransferResult> ConnectBlindAsync(StepOutcome.Connected current, CallLeg bridge, string legId, string target, string asked,
        bool secretaryGone, CancellationToken ct)
    {
        await call.OnCallerAsync(() => call.Ari.Channels.StopMohAsync(call.CallId, ct), "stop the music");
        if (!await call.OnLegAsync(() => call.Ari.Bridges.AddChannelAsync(bridge.Id, legId, ct: ct)))
            return await NotAnsweredAsync(current, legId, target, "answered but could not be bridged", secretaryGone);
        await LeaveAsync(current, secretaryGone, ct);
        await call.RecordAsync(CallStepKinds.Transferred, target, $"blind transfer by {current.AnsweredBy} to {target} (asked for '{asked}')");
        call.Logger.LogInformation("Call {CallId}: transferred by {By} to {Target}", call.CallId, current.AnsweredBy, target);
        return new TransferResult.Transferred(new StepOutcome.Connected(legId, target, current.Outcome));
    }

    /// <summary>
    /// Attended: the secretary called the doctor first (a consultation call through the engine), then sent REFER with
    /// Replaces. The doctor's leg of that call (refer_to.connected_channel) joins the patient's bridge; the secretary's two
    /// channels are hung up. Only a phone of the call's own practice can be the target.
    /// </summary>
    private async Task<TransferResult> AttendedAsync(ChannelTransfer refer, StepOutcome.Connected current, CallLeg bridge, CancellationToken ct)
    {
        var consult = refer.ReferTo.DestinationChannel;
        var doctor = refer.ReferTo.ConnectedChannel;
        if (consult is null || doctor is null)
            return await FailedAsync(current, "?", "the consultation call named by Replaces is not a call of this Asterisk in Stasis", "channel_unavailable", false);
        var target = TransferTargets.PhoneOfChannel(call.Rules, call.Plan.PracticeId, doctor.Name);
        if (target is null)
            return await FailedAsync(current, UntrustedText.ForDisplay(doctor.Name, 60), $"not a phone of {call.Plan.PracticeId}", "channel_declined", false);
        call.Logger.LogInformation("Call {CallId}: {By} transfers the patient to {Target} (attended)", call.CallId, current.AnsweredBy, target);
        // The doctor's leg becomes this call's: its events come here, and the consultation call no longer hangs it up.
        call.Handover?.Release(doctor.Id, call.CallId);
        call.Add(doctor.Id, LegKind.PhoneLeg, target);
        if (refer.ReferTo.Bridge is { } consultBridge)
            await call.OnLegAsync(() => call.Ari.Bridges.RemoveChannelAsync(consultBridge.Id, doctor.Id, ct));
        if (!await call.OnLegAsync(() => call.Ari.Bridges.AddChannelAsync(bridge.Id, doctor.Id, ct: ct)))
        {
            call.Forget(doctor.Id);
            return await FailedAsync(current, target, "the doctor's leg could not join the patient", "channel_unavailable", false);
        }
        await call.OnLegAsync(() => call.Ari.Channels.SetVariableAsync(doctor.Id, CallLeg.CallVariable, call.CallId, ct));
        // The doctor's leg was rung by an internal call, without the engine's transfer handling: set now (Asterisk reads it at
        // each REFER), so that the doctor can transfer the patient again like any leg of a patient's call.
        await call.OnLegAsync(() => call.Ari.Channels.SetVariableAsync(doctor.Id, HandlingVariable, "ari-only", ct));
        await LeaveAsync(current, false, ct);
        await call.OnLegAsync(() => call.Ari.Channels.HangupAsync(consult.Id, "normal", ct));
        await call.OnCallerAsync(() => call.Ari.Channels.StopMohAsync(call.CallId, ct), "stop the music");
        await call.RecordAsync(CallStepKinds.Transferred, target, $"attended transfer by {current.AnsweredBy} to {target} (after a consultation call)");
        call.Logger.LogInformation("Call {CallId}: transferred by {By} to {Target} (attended)", call.CallId, current.AnsweredBy, target);
        return new TransferResult.Transferred(new StepOutcome.Connected(doctor.Id, target, current.Outcome));
    }

    /// <summary>
    /// Why a leg that ended before its Dial event did not answer: a phone's 486 hangs the leg up (cause 17) before the Dial
    /// event says BUSY, so the cause decides, else the Dial event that follows within a second.
    /// </summary>
    private async Task<string> EndStatusAsync(string legId, AriEvent ended, CancellationToken ct)
    {
        var cause = ended switch { ChannelHangupRequest h => h.Cause, ChannelDestroyed d => d.Cause, _ => null };
        if (cause is 17) return "BUSY";
        if (cause is 18 or 19) return "NOANSWER";
        var dial = await call.WaitForAsync(x => x is Dial d && d.Peer?.Id == legId && d.IsFinal(), TimeSpan.FromSeconds(1), ct);
        return dial is Dial { DialStatus: { Length: > 0 } status } ? status : $"hung up (cause {cause?.ToString() ?? "unknown"})";
    }

    /// <summary>The secretary's phone is told the transfer succeeded (NOTIFY 200), then its leg is hung up.</summary>
    private async Task LeaveAsync(StepOutcome.Connected current, bool secretaryGone, CancellationToken ct)
    {
        if (secretaryGone) return;
        await call.OnLegAsync(() => call.Ari.Channels.TransferProgressAsync(current.Leg, "channel_answered", ct));
        await call.EndAsync(current.Leg, "normal", ct);
    }

    private async Task<TransferResult> NotAnsweredAsync(StepOutcome.Connected current, string legId, string target, string status, bool secretaryGone)
    {
        await call.EndAsync(legId, "normal", CancellationToken.None);
        await call.OnCallerAsync(() => call.Ari.Channels.StopMohAsync(call.CallId, CancellationToken.None), "stop the music");
        return await FailedAsync(current, target, status, status == "BUSY" ? "channel_declined" : "channel_unavailable", secretaryGone);
    }

    /// <summary>Recorded; the secretary's phone is told (it takes the patient back), or the patient goes back to the plan.</summary>
    private async Task<TransferResult> FailedAsync(StepOutcome.Connected current, string target, string why, string progress, bool secretaryGone)
    {
        var back = secretaryGone ? $"{current.AnsweredBy} had hung up: back to the plan" : $"the patient stays with {current.AnsweredBy}";
        await call.RecordAsync(CallStepKinds.TransferFailed, target, $"transfer by {current.AnsweredBy}: {why}; {back}");
        call.Logger.LogInformation("Call {CallId}: transfer by {By} to {Target} failed ({Why}); {Back}", call.CallId, current.AnsweredBy, target, why, back);
        if (secretaryGone) return new TransferResult.BackToPlan();
        await call.OnLegAsync(() => call.Ari.Channels.TransferProgressAsync(current.Leg, progress, CancellationToken.None));
        return new TransferResult.Kept();
    }
}
