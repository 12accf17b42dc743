using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Reception;

/// <summary>One ring attempt of a queue: the chosen members ring; the first to answer is bridged with the caller, the others stop.</summary>
internal sealed class MemberRinging(QueueWait waiting, IReadOnlyList<string> members)
{
    private readonly CallContext _call = waiting.Call;
    private readonly Dictionary<string, string> _legs = new(StringComparer.Ordinal); // leg id -> member

    public async Task<StepResult> RingAsync(TimeSpan ringTime, CancellationToken ct)
    {
        try
        {
            var created = new List<(string Leg, string Member)>();
            foreach (var member in members)
                if (await CreateLegAsync(member, ct) is { } leg) created.Add((leg, member));
            foreach (var (leg, member) in created) await DialAsync(leg, member, ringTime, ct);
            var started = _call.Time.GetTimestamp();
            while (_legs.Count > 0)
            {
                var left = ringTime - _call.Time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero) break;
                var e = await _call.WaitForAsync(_ => true, left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), ct);
                if (e is Dial { DialStatus: "ANSWER" } d && _legs.TryGetValue(d.Peer.Id, out var member))
                    return await ConnectAsync(d.Peer.Id, member, ct);
                if (e is Dial failed && failed.IsFinal() && _legs.Remove(failed.Peer.Id, out var gone))
                    await Unanswered(gone, failed.DialStatus);
                else if (e is not null && _legs.Keys.FirstOrDefault(e.Ends) is { } ended && _legs.Remove(ended, out var hungUp))
                    await Unanswered(hungUp, "hung up");
                if (await waiting.OnEventAsync(e, ct) is { } over) return over;
            }
            foreach (var member in _legs.Values) await Unanswered(member, "NOANSWER");
            return StepResult.Next;
        }
        finally
        {
            foreach (var leg in _legs.Keys) await CallWaits.TryAsync(() => _call.Ari.Channels.HangupAsync(leg, "normal", CancellationToken.None));
            // Every claim goes: the member who answered is on the call, so the free-member check sees it busy.
            foreach (var member in members) waiting.Line.Release(member);
        }
    }

    private async Task<string?> CreateLegAsync(string member, CancellationToken ct)
    {
        var legId = _call.NewId("member");
        _call.Link(legId);
        var endpoint = PjsipConfig.PhoneEndpoint(_call.Plan.PracticeId ?? "", member);
        try
        {
            // A patient not presented (withheld, or a caller ID that is not a number): the phone shows the connected
            // line set here, as the leg is dialled without caller= (which would copy the patient's caller ID).
            var variables = _call.Patient.Presented ? null : _call.Patient.ConnectedLine();
            if (await _call.CreateLegAsync(new CreateChannelRequest
                { Endpoint = $"PJSIP/{endpoint}", ChannelId = legId, AppArgs = "leg", Originator = _call.CallId, Variables = variables }, ct))
                return legId;
            await Unanswered(member, "the leg did not enter Stasis");
        }
        catch (AriException e)
        {
            _call.Logger.LogInformation("Call {CallId}: could not ring {Member}: {Error}", _call.CallId, member, e.Message);
            await Unanswered(member, e.Message);
        }
        await CallWaits.TryAsync(() => _call.Ari.Channels.HangupAsync(legId, "normal", ct));
        return null;
    }

    private async Task DialAsync(string legId, string member, TimeSpan ringTime, CancellationToken ct)
    {
        try
        {
            // caller=: the phone shows the patient's number (copied from the caller's channel).
            var caller = _call.Patient.Presented ? _call.CallId : null;
            await _call.Ari.Channels.DialAsync(legId, caller, (int)Math.Ceiling(ringTime.TotalSeconds) + 1, ct);
            _legs[legId] = member;
            await _call.RecordAsync(CallStepKinds.Ringing, member, waiting.Queue.QueueId);
        }
        catch (AriException e)
        {
            _call.Logger.LogInformation("Call {CallId}: could not ring {Member}: {Error}", _call.CallId, member, e.Message);
            await Unanswered(member, e.Message);
            await CallWaits.TryAsync(() => _call.Ari.Channels.HangupAsync(legId, "normal", ct));
        }
    }

    private async Task<StepResult> ConnectAsync(string legId, string member, CancellationToken ct)
    {
        _legs.Remove(legId);
        // The others stop ringing at once (the finally block hangs them up, "answered elsewhere").
        foreach (var other in _legs.Keys.ToList())
            await CallWaits.TryAsync(() => _call.Ari.Channels.HangupAsync(other, "answered_elsewhere", ct));
        _legs.Clear();
        await waiting.StopAsync(ct);
        var bridgeId = _call.NewId("bridge");
        _call.Link(bridgeId);
        try
        {
            await _call.Ari.Bridges.CreateAsync("mixing", bridgeId, ct: ct);
            await _call.Ari.Bridges.AddChannelAsync(bridgeId, [_call.CallId, legId], ct: ct);
        }
        catch (AriException e) when (!e.IsGone)
        {
            // The member answered but cannot be joined with the caller: free the phone; the plan goes on (overflow...).
            _call.Logger.LogError("Call {CallId}: {Member} answered but could not be bridged: {Error}", _call.CallId, member, e.Message);
            await CallWaits.TryAsync(() => _call.Ari.Channels.HangupAsync(legId, "normal", CancellationToken.None));
            await CallWaits.TryAsync(() => _call.Ari.Bridges.DestroyAsync(bridgeId, CancellationToken.None));
            throw;
        }
        _call.ConnectedLeg = legId;
        _call.AnsweredBy = member;
        _call.Outcome = CallOutcomes.Answered;
        await _call.RecordAsync(CallStepKinds.Answered, member, waiting.Queue.QueueId);
        _call.Logger.LogInformation("Call {CallId}: answered by {Member}", _call.CallId, member);
        return waiting.Leave(StepResult.Connected);
    }

    private ValueTask Unanswered(string member, string why) =>
        _call.RecordAsync(CallStepKinds.Unanswered, member, $"{waiting.Queue.QueueId}: {why}");
}
