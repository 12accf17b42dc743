using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Secretariat;

/// <summary>
/// Hands the call to the remote secretariat(s), in order: an outgoing call through the trunk presenting the patient's
/// number, with the practice's number in Diversion (and History-Info) and the tag headers. The caller hears ringback;
/// the plan's urgent key stops the ringing and switches the call to the urgent steps.
/// </summary>
public sealed class OverflowStep(EngineOptions options, ProvisioningOptions provisioning) : IStepExecutor
{
    public bool CanRun(PlanStep step) => step is Overflow;

    public Task<StepOutcome> RunAsync(CallContext call, PlanStep step, CancellationToken ct) => DialInTurnAsync(call, ((Overflow)step).Targets, ct);

    /// <summary>Dials the targets one after the other until one answers (Connected) or none is left (Next).</summary>
    public async Task<StepOutcome> DialInTurnAsync(CallContext call, IReadOnlyList<OverflowTarget> targets, CancellationToken ct)
    {
        var bridge = call.Add(call.NewId("bridge"), LegKind.Bridge);
        try
        {
            await call.Ari.Bridges.CreateAsync("mixing", bridge.Id, ct: ct);
            if (!await call.OnCallerAsync(() => call.Ari.Bridges.AddChannelAsync(bridge.Id, call.CallId, ct: ct), "join the overflow bridge"))
                return new StepOutcome.CallerGone();
            foreach (var target in targets)
            {
                var result = await TryTargetAsync(call, target, bridge.Id, ct);
                if (result is StepOutcome.Connected or StepOutcome.CallerGone) return result;
                if (result is not StepOutcome.Next)
                {
                    // The urgent key: the caller leaves the bridge for the urgent steps.
                    await call.EndAsync(bridge, ct: ct);
                    return result;
                }
            }
        }
        catch (AriException e) when (!call.IsCallerGone(e))
        {
            call.Logger.LogError("Call {CallId}: overflow failed: {Error}", call.CallId, e.Message);
            await call.RecordAsync(CallStepKinds.Error, "overflow", e.Message);
        }
        // Nobody took it: the caller leaves the bridge for the next step.
        await call.EndAsync(bridge, ct: ct);
        return call.CallerGone ? new StepOutcome.CallerGone() : new StepOutcome.Next();
    }

    private async Task<StepOutcome> TryTargetAsync(CallContext call, OverflowTarget target, string bridgeId, CancellationToken ct)
    {
        var legId = call.NewId("overflow");
        var endpoint = DialString(target);
        await call.RecordAsync(CallStepKinds.Ringing, target.SecretariatId, "overflow");
        call.Logger.LogInformation("Call {CallId}: overflow to {Secretariat} via {Endpoint}", call.CallId, target.SecretariatId, endpoint);
        try
        {
            if (!await call.CreateLegAsync(new CreateChannelRequest
            {
                Endpoint = endpoint, ChannelId = legId, AppArgs = "leg", Originator = call.CallId, Variables = Variables(call, target),
            }, LegKind.SecretariatLeg, target.SecretariatId, ct)) throw new AriException("channels.create", legId, 0, "the outgoing leg did not enter Stasis");
            await call.Ari.Bridges.AddChannelAsync(bridgeId, legId, ct: ct);
            await call.Ari.Channels.DialAsync(legId, timeoutSeconds: CallWaits.DialTimeout(options.OverflowRingTime), ct: ct);
        }
        catch (AriException e) when (!call.CallerGone)
        {
            await call.RecordAsync(CallStepKinds.Unanswered, target.SecretariatId, $"overflow: {e.Message}");
            await call.EndAsync(legId, ct: ct);
            return new StepOutcome.Next();
        }
        var ringback = await StartRingbackAsync(call, bridgeId, ct);
        var outcome = await call.WaitForAsync(e => e is Dial d && d.Peer?.Id == legId && d.IsFinal() || e.Ends(legId) || e.IsKey(call.CallId, call.UrgentKey),
            options.OverflowRingTime, ct);
        if (ringback is not null) await call.EndAsync(ringback, ct: ct);
        if (call.CallerGone)
        {
            await call.EndAsync(legId, ct: ct);
            return new StepOutcome.CallerGone();
        }
        if (outcome is Dial { DialStatus: "ANSWER" })
        {
            if (!await call.AnswerAsync(ct)) return new StepOutcome.CallerGone();
            await call.RecordAsync(CallStepKinds.Overflowed, target.SecretariatId, target.Name);
            return new StepOutcome.Connected(legId, target.SecretariatId, CallOutcomes.Overflowed);
        }
        await call.EndAsync(legId, ct: ct);
        if (outcome is ChannelDtmfReceived urgent)
        {
            call.Logger.LogInformation("Call {CallId}: urgent key pressed while {Secretariat} rang", call.CallId, target.SecretariatId);
            return await call.UrgentKeyPressedAsync(urgent.Digit);
        }
        var status = outcome switch { Dial d => d.DialStatus, null => "NOANSWER (timeout)", _ => "HANGUP" };
        call.Logger.LogInformation("Call {CallId}: secretariat {Secretariat} did not answer: {Status}", call.CallId, target.SecretariatId, status);
        await call.RecordAsync(CallStepKinds.Unanswered, target.SecretariatId, $"overflow: {status}");
        return new StepOutcome.Next();
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

    private static async Task<CallLeg?> StartRingbackAsync(CallContext call, string bridgeId, CancellationToken ct)
    {
        if (!call.Answered)
        {
            // Not answered yet: 180 Ringing, the caller's own phone makes the ringback (and early media passes the bridge).
            await call.OnCallerAsync(() => call.Ari.Channels.RingAsync(call.CallId, ct), "ring");
            return null;
        }
        var playbackId = call.NewId("ringback");
        return await call.OnLegAsync(() => call.Ari.Bridges.PlayAsync(bridgeId, "tone:ring;tonezone=fr", playbackId, ct))
            ? call.Add(playbackId, LegKind.Playback) : null;
    }
}
