using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Flows.Pickup;
using PbxRouter.Calls.Flows.Transfers;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Reception;

/// <summary>One ring attempt of a queue: the chosen members ring; the first to answer is bridged with the caller, the others stop.</summary>
/// <remarks>
/// While its phones ring, another phone of the practice may take the call with the pickup code (<see cref="PickupRequested"/>):
/// the ringing legs stop and the phone that dialled the code is connected instead, as if it had answered.
/// </remarks>
internal sealed class MemberRinging(QueueWait waiting, IReadOnlyList<string> members, RingingCalls? ringing = null, MemberStates? states = null)
{
    private readonly CallContext _call = waiting.Call;
    private readonly Dictionary<string, string> _legs = new(StringComparer.Ordinal); // leg id -> member

    public async Task<StepOutcome> RingAsync(TimeSpan ringTime, CancellationToken ct)
    {
        try
        {
            var created = new List<(string Leg, string Member)>();
            foreach (var member in members)
                if (await CreateLegAsync(member, ct) is { } leg) created.Add((leg, member));
            foreach (var (leg, member) in created) await DialAsync(leg, member, ringTime, ct);
            using var pickable = _legs.Count == 0 || ringing is null ? null
                : ringing.Open(new RingingCall(_call.CallId, _call.Plan.PracticeId ?? "", [.. _legs.Values], waiting.Since), _call.Deliver);
            var started = _call.Time.GetTimestamp();
            while (_legs.Count > 0)
            {
                var left = ringTime - _call.Time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero) break;
                var e = await _call.WaitForAsync(_ => true, left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), ct);
                if (e is Dial { DialStatus: "ANSWER" } d && _legs.TryGetValue(d.Peer.Id, out var member))
                    return await ConnectAsync(d.Peer.Id, member, ct);
                if (e is PickupRequested pickup && await PickedUpAsync(pickup, ct) is { } taken)
                    return taken;
                if (e is Dial failed && failed.IsFinal() && _legs.Remove(failed.Peer.Id, out var gone))
                    await Unanswered(gone, failed.DialStatus);
                else if (e is not null && _legs.Keys.FirstOrDefault(e.Ends) is { } ended && _legs.Remove(ended, out var hungUp))
                    await Unanswered(hungUp, "hung up");
                if (await waiting.OnEventAsync(e, ct) is { } over) return over;
            }
            foreach (var member in _legs.Values) await Unanswered(member, "NOANSWER");
            return new StepOutcome.Next();
        }
        finally
        {
            foreach (var leg in _legs.Keys) await _call.EndAsync(leg, "normal", CancellationToken.None);
            // Every claim goes: the member who answered is on the call, so the free-member check sees it busy.
            foreach (var member in members) waiting.Line.Release(member);
        }
    }

    private async Task<string?> CreateLegAsync(string member, CancellationToken ct)
    {
        var legId = _call.NewId("member");
        var endpoint = PjsipConfig.PhoneEndpoint(_call.Plan.PracticeId ?? "", member);
        try
        {
            // A patient not presented (withheld, or a caller ID that is not a number): the phone shows the connected
            // line set here, as the leg is dialled without caller= (which would copy the patient's caller ID).
            var variables = _call.Patient.Presented ? new Dictionary<string, string>() : _call.Patient.ConnectedLine();
            // The secretary's transfer key (SIP REFER) comes to the engine, which keeps the call (Flows/Transfers).
            CallTransfer.HandleTransfers(variables);
            if (await _call.CreateLegAsync(new CreateChannelRequest
                { Endpoint = $"PJSIP/{endpoint}", ChannelId = legId, AppArgs = "leg", Originator = _call.CallId, Variables = variables },
                LegKind.PhoneLeg, member, ct))
                return legId;
            // The wait ends at once when the patient hangs up: that is not a leg that failed to start.
            await Unanswered(member, _call.CallerGone ? "the caller hung up before the leg entered Stasis" : "the leg did not enter Stasis");
        }
        catch (AriException e)
        {
            _call.Logger.LogInformation("Call {CallId}: could not ring {Member}: {Error}", _call.CallId, member, e.Message);
            await Unanswered(member, e.Message);
        }
        await _call.EndAsync(legId, "normal", ct);
        return null;
    }

    private async Task DialAsync(string legId, string member, TimeSpan ringTime, CancellationToken ct)
    {
        try
        {
            // caller=: the phone shows the patient's number (copied from the caller's channel).
            var caller = _call.Patient.Presented ? _call.CallId : null;
            await _call.Ari.Channels.DialAsync(legId, caller, CallWaits.DialTimeout(ringTime), ct);
            _legs[legId] = member;
            await _call.RecordAsync(CallStepKinds.Ringing, member, waiting.Queue.QueueId);
        }
        catch (AriException e)
        {
            _call.Logger.LogInformation("Call {CallId}: could not ring {Member}: {Error}", _call.CallId, member, e.Message);
            await Unanswered(member, e.Message);
            await _call.EndAsync(legId, "normal", ct);
        }
    }

    /// <summary>
    /// A phone of the practice dialled the pickup code: its channel (answered here) takes the place of the ringing legs.
    /// Null when it cannot (the phone hung up meanwhile): the phones go on ringing.
    /// </summary>
    private async Task<StepOutcome?> PickedUpAsync(PickupRequested pickup, CancellationToken ct)
    {
        var phone = pickup.PhoneChannel.Id;
        // Its events come to this call from now on (its hang-up ends the conversation); the phone's own call lets it go.
        _call.Add(phone, LegKind.PhoneLeg, pickup.PhoneId);
        if (!await _call.OnLegAsync(() => _call.Ari.Channels.AnswerAsync(phone, ct)))
        {
            _call.Forget(phone);
            pickup.Answer(false);
            _call.Logger.LogInformation("Call {CallId}: {Phone} dialled the pickup code but is gone: still ringing", _call.CallId, pickup.PhoneId);
            return null;
        }
        // Like the legs the queue rings: the phone's transfer key comes to the engine (Flows/Transfers).
        await _call.OnLegAsync(() => _call.Ari.Channels.SetVariableAsync(phone, CallTransfer.HandlingVariable, "ari-only", ct));
        // Marked like the legs the engine makes: an engine that starts after a crash takes it as this call's conversation
        // (CallAdoption), not as a phone's call of its own (which it would hang up).
        foreach (var (name, value) in new CallLeg(phone, LegKind.PhoneLeg, pickup.PhoneId).Variables(_call.CallId))
            await _call.OnLegAsync(() => _call.Ari.Channels.SetVariableAsync(phone, name, value, ct));
        var rang = string.Join(", ", _legs.Values);
        _call.Logger.LogInformation("Call {CallId}: picked up by {Phone} while {Rang} rang", _call.CallId, pickup.PhoneId, rang);
        var outcome = await ConnectAsync(phone, pickup.PhoneId, ct, $"picked up with {PickupDecision.Code} while {rang} rang");
        pickup.Answer(outcome is StepOutcome.Connected);
        return outcome;
    }

    private async Task<StepOutcome> ConnectAsync(string legId, string member, CancellationToken ct, string? how = null)
    {
        _legs.Remove(legId);
        // The others stop ringing at once (the finally block hangs them up, "answered elsewhere").
        foreach (var other in _legs.Keys.ToList()) await _call.EndAsync(other, "answered_elsewhere", ct);
        _legs.Clear();
        await waiting.StopAsync(ct);
        var bridge = _call.Add(_call.NewId("bridge"), LegKind.Bridge);
        try
        {
            await _call.Ari.Bridges.CreateAsync("mixing", bridge.Id, ct: ct);
            await _call.Ari.Bridges.AddChannelAsync(bridge.Id, [_call.CallId, legId], ct: ct);
        }
        catch (AriException e)
        {
            // The member answered but cannot be joined with the caller: free the phone; the plan goes on (overflow...).
            await _call.EndAsync(legId, "normal", CancellationToken.None);
            await _call.EndAsync(bridge, ct: CancellationToken.None);
            if (_call.CallerGone) return waiting.Leave(new StepOutcome.CallerGone());
            _call.Logger.LogError("Call {CallId}: {Member} answered but could not be bridged: {Error}", _call.CallId, member, e.Message);
            throw;
        }
        // Busy at once for the next callers, before the event of its new channel comes (and before its claim goes).
        states?.Answered(PjsipConfig.PhoneEndpoint(_call.Plan.PracticeId ?? "", member));
        await _call.RecordAsync(CallStepKinds.Answered, member, how is null ? waiting.Queue.QueueId : $"{waiting.Queue.QueueId}: {how}");
        _call.Logger.LogInformation("Call {CallId}: answered by {Member}", _call.CallId, member);
        return waiting.Leave(new StepOutcome.Connected(legId, member, CallOutcomes.Answered));
    }

    private ValueTask Unanswered(string member, string why) =>
        _call.RecordAsync(CallStepKinds.Unanswered, member, $"{waiting.Queue.QueueId}: {why}");
}
