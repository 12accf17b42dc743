using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Secretariat;

/// <summary>
/// Hands the call to the remote secretariat(s), in order: an outgoing call through the trunk presenting the patient's
/// number, with the practice's number in Diversion (and History-Info) and the tag headers. The caller hears ringback.
/// </summary>
public sealed class OverflowStep(EngineOptions options, ProvisioningOptions provisioning) : IStepExecutor
{
    public bool CanRun(PlanStep step) => step is Overflow;

    public Task<StepResult> RunAsync(CallContext call, PlanStep step, CancellationToken ct) => DialInTurnAsync(call, ((Overflow)step).Targets, ct);

    /// <summary>Dials the targets one after the other until one answers (Connected) or none is left (Next).</summary>
    public async Task<StepResult> DialInTurnAsync(CallContext call, IReadOnlyList<OverflowTarget> targets, CancellationToken ct)
    {
        var bridgeId = call.NewId("bridge");
        call.Link(bridgeId);
        try
        {
            await call.Ari.Bridges.CreateAsync("mixing", bridgeId, ct: ct);
            if (!await CallWaits.TryAsync(() => call.Ari.Bridges.AddChannelAsync(bridgeId, call.CallId, ct: ct))) return StepResult.CallerGone;
            foreach (var target in targets)
            {
                var result = await TryTargetAsync(call, target, bridgeId, ct);
                if (result is not StepResult.Next) return result;
            }
        }
        catch (AriException e) when (!e.IsGone)
        {
            call.Logger.LogError("Call {CallId}: overflow failed: {Error}", call.CallId, e.Message);
            await call.RecordAsync(CallStepKinds.Error, "overflow", e.Message);
        }
        // Nobody took it: the caller leaves the bridge for the next step.
        await CallWaits.TryAsync(() => call.Ari.Bridges.DestroyAsync(bridgeId, ct));
        return call.CallerGone ? StepResult.CallerGone : StepResult.Next;
    }

    private async Task<StepResult> TryTargetAsync(CallContext call, OverflowTarget target, string bridgeId, CancellationToken ct)
    {
        var legId = call.NewId("overflow");
        call.Link(legId);
        var endpoint = DialString(target);
        await call.RecordAsync(CallStepKinds.Ringing, target.SecretariatId, "overflow");
        call.Logger.LogInformation("Call {CallId}: overflow to {Secretariat} via {Endpoint}", call.CallId, target.SecretariatId, endpoint);
        try
        {
            if (!await call.CreateLegAsync(new CreateChannelRequest
            {
                Endpoint = endpoint, ChannelId = legId, AppArgs = "leg", Originator = call.CallId, Variables = Variables(call, target),
            }, ct)) throw new AriException("channels.create", legId, 0, "the outgoing leg did not enter Stasis");
            await call.Ari.Bridges.AddChannelAsync(bridgeId, legId, ct: ct);
            await call.Ari.Channels.DialAsync(legId, ct: ct);
        }
        catch (AriException e) when (!call.CallerGone)
        {
            await call.RecordAsync(CallStepKinds.Unanswered, target.SecretariatId, $"overflow: {e.Message}");
            await CallWaits.TryAsync(() => call.Ari.Channels.HangupAsync(legId, ct: ct));
            return StepResult.Next;
        }
        var ringback = await StartRingbackAsync(call, bridgeId, ct);
        var outcome = await call.WaitForAsync(e => e is Dial d && d.Peer?.Id == legId && d.IsFinal() || e.Ends(legId),
            options.OverflowRingTime, ct);
        await StopRingbackAsync(call, ringback, ct);
        if (call.CallerGone)
        {
            await CallWaits.TryAsync(() => call.Ari.Channels.HangupAsync(legId, ct: ct));
            return StepResult.CallerGone;
        }
        if (outcome is Dial { DialStatus: "ANSWER" })
        {
            if (!await call.AnswerAsync(ct)) return StepResult.CallerGone;
            call.ConnectedLeg = legId;
            call.AnsweredBy = target.SecretariatId;
            call.Outcome = CallOutcomes.Overflowed;
            await call.RecordAsync(CallStepKinds.Overflowed, target.SecretariatId, target.Name);
            return StepResult.Connected;
        }
        var status = outcome switch { Dial d => d.DialStatus, null => "NOANSWER (timeout)", _ => "HANGUP" };
        call.Logger.LogInformation("Call {CallId}: secretariat {Secretariat} did not answer: {Status}", call.CallId, target.SecretariatId, status);
        await call.RecordAsync(CallStepKinds.Unanswered, target.SecretariatId, $"overflow: {status}");
        await CallWaits.TryAsync(() => call.Ari.Channels.HangupAsync(legId, ct: ct));
        return StepResult.Next;
    }

    private string DialString(OverflowTarget target)
    {
        var trunk = provisioning.Enabled && target.Trunk is { } t ? PjsipConfig.TrunkEndpoint(t) : options.DefaultTrunk;
        return target.Destination.StartsWith("sip", StringComparison.OrdinalIgnoreCase)
            ? $"PJSIP/{trunk}/{target.Destination}"
            : $"PJSIP/{target.Destination}@{trunk}";
    }

    private static Dictionary<string, string> Variables(CallContext call, OverflowTarget target)
    {
        // On an outgoing leg the From comes from the connected line, not CALLERID (verified, ari-facts.md);
        // a withheld patient stays withheld (CONNECTEDLINE(pres)).
        var variables = call.Patient.ConnectedLine();
        foreach (var (name, value) in target.Headers) variables[$"PJSIP_HEADER(add,{name})"] = value;
        if (target.Diversion && call.CalledNumber.Length > 0)
        {
            // With send_diversion=yes on the trunk, the redirecting party becomes the Diversion header.
            variables["REDIRECTING(from-num)"] = call.CalledNumber;
            variables["REDIRECTING(reason)"] = "no-answer";
            variables["REDIRECTING(count)"] = "1";
        }
        if (target.HistoryInfo && call.CalledNumber.Length > 0)
            variables["PJSIP_HEADER(add,History-Info)"] = $"<sip:{call.CalledNumber}@pbxrouter.invalid>;index=1";
        return variables;
    }

    private static async Task<string?> StartRingbackAsync(CallContext call, string bridgeId, CancellationToken ct)
    {
        if (!call.Answered)
        {
            // Not answered yet: 180 Ringing, the caller's own phone makes the ringback (and early media passes the bridge).
            await CallWaits.TryAsync(() => call.Ari.Channels.RingAsync(call.CallId, ct));
            return null;
        }
        var playbackId = call.NewId("ringback");
        return await CallWaits.TryAsync(() => call.Ari.Bridges.PlayAsync(bridgeId, "tone:ring;tonezone=fr", playbackId, ct)) ? playbackId : null;
    }

    private static async Task StopRingbackAsync(CallContext call, string? playbackId, CancellationToken ct)
    {
        if (playbackId is not null) await CallWaits.TryAsync(() => call.Ari.Playbacks.StopAsync(playbackId, ct));
    }
}
