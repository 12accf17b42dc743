using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Phones;

/// <summary>
/// Outside and internal calls from a practice's phone, on the call runtime: the outside number through the practice's trunk
/// presenting the practice's (or the phone's line's) number; the extension of another phone of the same practice, then its
/// voicemail box (or a message) when it is busy or does not answer. Each returns the call record's outcome.
/// </summary>
public sealed class PhoneDialing(EngineOptions engine, ProvisioningOptions provisioning, PhoneCallOptions options, VoicemailExecutor voicemail,
    ILogger<PhoneDialing> logger)
{
    public async Task<string> OutsideAsync(PhoneCall call, PhoneDial dial, CompiledRules rules, PhoneCallRecord record, CancellationToken ct)
    {
        var trunk = provisioning.Enabled && dial.Trunk is { } t ? PjsipConfig.TrunkEndpoint(t) : engine.DefaultTrunk;
        var name = rules.Model.Practices.FirstOrDefault(p => p.Id.Value == dial.PracticeId)?.Name ?? "";
        var callerId = dial.CallerId ?? "";
        // The leg joins the phone's bridge before it is dialled, and Asterisk then copies the phone's caller ID onto it
        // (PlanCall.HidePatientAsync): so the phone's own channel presents the practice's number too, not "Accueil 1 <101>".
        await call.OnCallerAsync(() => call.Ari.Channels.SetVariableAsync(call.CallId, "CALLERID(num)", callerId, ct), "present the practice's number")
            .ConfigureAwait(false);
        await call.OnCallerAsync(() => call.Ari.Channels.SetVariableAsync(call.CallId, "CALLERID(name)", UntrustedText.WithoutControls(name, 40), ct),
            "present the practice's name").ConfigureAwait(false);
        var leg = new CreateChannelRequest
        {
            Endpoint = $"PJSIP/{dial.Destination}@{trunk}", ChannelId = call.NewId("outside"), AppArgs = "leg", Originator = call.CallId,
            // On an outgoing leg the From comes from the connected line (ari-facts.md).
            Variables = new Dictionary<string, string>
            {
                ["CONNECTEDLINE(num)"] = callerId, ["CONNECTEDLINE(name)"] = UntrustedText.WithoutControls(name, 40),
                ["CONNECTEDLINE(pres)"] = "allowed_not_screened",
            },
        };
        logger.LogInformation("Call {CallId}: out to {Number} via {Trunk}, presenting {CallerId}", call.CallId, PhoneNumberMask.Mask(dial.Destination),
            trunk, callerId);
        // The number is a patient's or a laboratory's: the record's steps name it masked (its called number keeps it whole).
        var who = PhoneNumberMask.Mask(dial.Destination);
        var result = await PhoneLegDial.RingAsync(call, leg, LegKind.OutsideLeg, who, null, options.OutsideRingTime, record, ct).ConfigureAwait(false);
        if (result.Answered) return CallOutcomes.Answered;
        if (result.CallerGone) return Abandoned(record);
        await record.StepAsync(CallStepKinds.Unanswered, who, result.Status).ConfigureAwait(false);
        record.HungUpBy = "engine";
        // Busy: the phone's own busy tone (486); otherwise it is told the number cannot be reached.
        if (result.Status == "BUSY") await call.HangUpCallerAsync("busy", ct).ConfigureAwait(false);
        else await PhoneCallRouter.RefuseAsync(call, PhonePrompts.Unreachable, "no_answer", ct).ConfigureAwait(false);
        return CallOutcomes.Unanswered;
    }

    public async Task<string> InternalAsync(PhoneCall call, PhoneDial dial, PhoneCallRecord record, CancellationToken ct)
    {
        var target = dial.TargetPhone!;
        var leg = new CreateChannelRequest
        {
            Endpoint = $"PJSIP/{PjsipConfig.PhoneEndpoint(dial.PracticeId, target)}", ChannelId = call.NewId("extension"), AppArgs = "leg",
            Originator = call.CallId,
        };
        // caller=: the phone rung shows who calls (the calling phone's name and extension).
        var result = await PhoneLegDial.RingAsync(call, leg, LegKind.PhoneLeg, target, call.CallId, options.InternalRingTime, record, ct).ConfigureAwait(false);
        if (result.Answered) return CallOutcomes.Answered;
        if (result.CallerGone) return Abandoned(record);
        logger.LogInformation("Call {CallId}: extension {Extension} ({Target}) did not answer: {Status}", call.CallId, dial.Dialled, target, result.Status);
        await record.StepAsync(CallStepKinds.Unanswered, target, result.Status).ConfigureAwait(false);
        if (dial.Voicemail is { } box)
        {
            var message = await voicemail.TakeMessageAsync(call, box, dial.PracticeId, record.StepAsync, ct).ConfigureAwait(false);
            if (message is StepOutcome.Done done) return done.Outcome;
            if (call.CallerGone) return Abandoned(record);
        }
        record.HungUpBy = "engine";
        await PhoneCallRouter.RefuseAsync(call, result.Status == "BUSY" ? PhonePrompts.ExtensionBusy : PhonePrompts.ExtensionNoAnswer,
            result.Status == "BUSY" ? "busy" : "no_answer", ct).ConfigureAwait(false);
        return CallOutcomes.Unanswered;
    }

    private static string Abandoned(PhoneCallRecord record)
    {
        record.HungUpBy = "caller";
        return CallOutcomes.Abandoned;
    }
}
