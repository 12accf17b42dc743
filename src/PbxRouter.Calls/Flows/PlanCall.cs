using Microsoft.Extensions.Logging;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows;

/// <summary>
/// A patient's call under the routing rules: runs the plan's steps in order, switches to the urgent steps when the
/// caller presses the urgent key, waits while someone is on the line, and takes the dialplan's fallback route when
/// the plan ends with nobody having taken the call. Where the call stands (<see cref="Position"/>) is plain data.
/// </summary>
public sealed class PlanCall(CallContext call, CallTrace trace, StepExecutors executors, EngineOptions options, int rulesVersion)
    : CallSession(call, trace)
{
    private string? _hungUpBy;
    private StepOutcome.Connected? _connected;

    /// <summary>Where the call stands in its plan.</summary>
    public PlanPosition Position { get; private set; } = new(rulesVersion, false, -1);

    protected override async Task<string> RunAsync(CancellationToken ct)
    {
        var plan = call.Plan;
        // The caller's number is stored as given (SQL parameters), also when withheld: `pbxrouter calls` masks it.
        await call.Records.StartCallAsync(new CallRecordStart(call.CallId, Trace.StartedAt, plan.PracticeId, call.CalledNumber,
            call.Caller.Caller.Number, rulesVersion, call.Patient.Withheld), ct);
        var reason = call.CalledNumber.Length > 0 ? plan.Reason : $"the trunk dialled '{UntrustedText.ForDisplay(call.Dialled)}', which is not a phone number";
        var hidden = call.Patient.Presented ? null : call.Patient.Withheld ? "caller withheld" : "caller ID not a phone number";
        await call.RecordAsync(CallStepKinds.Entered, plan.PracticeId, $"{plan.PracticeState}: {reason}{(hidden is null ? "" : $" ({hidden}: not shown onward)")}");
        Logger.LogInformation("Call {CallId} to {Called}: {Practice}, {State}{Vip}", CallId, UntrustedText.ForDisplay(call.CalledNumber),
            plan.PracticeId ?? "no practice", plan.PracticeState, plan.Vip is null ? "" : " (VIP)");
        if (hidden is not null)
        {
            Logger.LogInformation("Call {CallId}: {Hidden} ({Caller}): not shown on the legs this call places", CallId, hidden,
                PhoneNumberMask.Mask(call.Patient.Number));
            await HidePatientAsync(ct);
        }
        string outcome;
        try
        {
            outcome = await RunStepsAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The engine ended the call (its channel vanished while disconnected, or the engine stops).
            outcome = _connected?.Outcome ?? CallOutcomes.Abandoned;
            await call.EndAllAsync();
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Call {CallId}: flow failed; taking the fallback route", CallId);
            await call.RecordAsync(CallStepKinds.Error, null, e.Message);
            outcome = await FallbackAsync(CancellationToken.None);
        }
        call.ReportDroppedDtmf();
        await call.Records.EndCallAsync(CallId, outcome, _connected?.AnsweredBy, _hungUpBy, CancellationToken.None);
        return outcome;
    }

    /// <summary>
    /// Asterisk copies the patient's caller ID onto a leg that joins the patient's bridge before it is dialled (the
    /// overflow's early-media bridge) or is dialled with caller=, overriding the leg's own CONNECTEDLINE: so the patient's
    /// channel itself is made withheld, and a caller ID that is not a number is emptied (measured with SIPp).
    /// </summary>
    private async Task HidePatientAsync(CancellationToken ct)
    {
        await call.OnCallerAsync(() => call.Ari.Channels.SetVariableAsync(CallId, "CALLERID(pres)", "prohib", ct), "withhold the caller ID");
        if (!UntrustedText.IsPhoneNumber(call.Patient.Number))
            await call.OnCallerAsync(() => call.Ari.Channels.SetVariableAsync(CallId, "CALLERID(num)", "", ct), "empty the caller ID");
    }

    private async Task<string> RunStepsAsync(CancellationToken ct)
    {
        var steps = call.Plan.Steps;
        for (var i = 0; i < steps.Count; i++)
        {
            if (call.CallerGone) return await AbandonedAsync();
            var step = steps[i];
            Position = Position with { Step = i };
            Trace.Step($"step {i + 1}: {PlanFormatter.Describe(step)}");
            switch (step)
            {
                case Refuse refuse:
                    return await RefuseAsync(refuse, ct);
                case Hangup hangup:
                    return await EndOfPlanAsync(hangup, ct);
            }
            var result = await RunStepAsync(step, ct);
            Trace.Step($"step {i + 1}: {Describe(result)}");
            switch (result)
            {
                case StepOutcome.Connected connected:
                    return await ConnectedAsync(connected, ct);
                case StepOutcome.Done done:
                    return done.Outcome;
                case StepOutcome.CallerGone:
                    return await AbandonedAsync();
                case StepOutcome.Urgent when !Position.Urgent && call.Plan.UrgentSteps.Count > 0:
                    Logger.LogInformation("Call {CallId}: urgent key pressed, switching to the urgent steps", CallId);
                    call.UrgentStepsStarted();
                    (steps, i, Position) = (call.Plan.UrgentSteps, -1, Position with { Urgent = true });
                    break;
            }
        }
        return await FallbackAsync(ct);
    }

    /// <summary>How a step's result reads in the call's trace (as the step results did before they carried data).</summary>
    private static string Describe(StepOutcome result) => result.GetType().Name;

    private async Task<StepOutcome> RunStepAsync(PlanStep step, CancellationToken ct)
    {
        if (executors.For(step) is not { } executor)
        {
            Logger.LogWarning("Call {CallId}: no executor for step {Step}: skipped", CallId, step.GetType().Name);
            await call.RecordAsync(CallStepKinds.Skipped, step.GetType().Name.ToLowerInvariant(), "no executor for this step");
            return new StepOutcome.Next();
        }
        try
        {
            return await executor.RunAsync(call, step, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (call.CallerGone || call.IsCallerGone(e)) return new StepOutcome.CallerGone();
            Logger.LogError(e, "Call {CallId}: step {Step} failed; going on with the next step", CallId, step.GetType().Name);
            await call.RecordAsync(CallStepKinds.Error, step.GetType().Name.ToLowerInvariant(), e.Message);
            return new StepOutcome.Next();
        }
    }

    /// <summary>Someone took the call: wait until either side hangs up, then end the other side.</summary>
    private async Task<string> ConnectedAsync(StepOutcome.Connected connected, CancellationToken ct)
    {
        _connected = connected;
        Trace.Step($"connected to {connected.AnsweredBy}");
        while (!call.CallerGone)
        {
            var e = await call.NextEventAsync(TimeSpan.FromMinutes(5), ct);
            if (e is not null && e.Ends(connected.Leg))
            {
                _hungUpBy = connected.AnsweredBy;
                await call.HangUpCallerAsync("normal", ct);
                break;
            }
        }
        _hungUpBy ??= "caller";
        await call.RecordAsync(CallStepKinds.HungUp, _hungUpBy);
        await call.EndAllAsync();
        return connected.Outcome;
    }

    private async Task<string> AbandonedAsync()
    {
        _hungUpBy = "caller";
        var waited = call.Time.GetUtcNow() - Trace.StartedAt;
        await call.RecordAsync(CallStepKinds.Abandoned, null, $"after {waited.TotalSeconds:0} s");
        Logger.LogInformation("Call {CallId}: caller hung up after {Seconds:0} s", CallId, waited.TotalSeconds);
        await call.EndAllAsync();
        return CallOutcomes.Abandoned;
    }

    private async Task<string> RefuseAsync(Refuse refuse, CancellationToken ct)
    {
        var unknown = call.Plan.PracticeState == PracticeState.UnknownNumber;
        await call.RecordAsync(CallStepKinds.Refused, null, $"SIP {refuse.SipStatus}: {refuse.Why}");
        Logger.LogInformation("Call {CallId}: refused ({Status}): {Why}", CallId, refuse.SipStatus,
            unknown ? $"unknown number '{UntrustedText.ForDisplay(call.CalledNumber.Length > 0 ? call.CalledNumber : call.Dialled)}'"
                : "blocked caller " + PhoneNumberMask.Mask(call.Caller.Caller.Number));
        // Unknown number: a short announcement (early media) then 404; blocked caller: 403 at once.
        if (unknown && (await call.PlayAsync("sound:pbxrouter/numero-inconnu", ct, limit: TimeSpan.FromSeconds(20), what: "unknown")).Gone)
            return CallOutcomes.Refused;
        _hungUpBy = "engine";
        await call.HangUpCallerAsync(unknown ? "unallocated" : "rejected", ct);
        return CallOutcomes.Refused;
    }

    private async Task<string> EndOfPlanAsync(Hangup hangup, CancellationToken ct)
    {
        // The final "hang up" the compiler adds: nobody took the call, so the dialplan's last resort takes it.
        if (hangup.EndOfPlan) return await FallbackAsync(ct);
        _hungUpBy = "engine";
        await call.RecordAsync(CallStepKinds.HungUp, "engine", hangup.Why);
        await call.HangUpCallerAsync("normal", ct);
        return CallOutcomes.HungUp;
    }

    private async Task<string> FallbackAsync(CancellationToken ct)
    {
        await call.EndAllAsync();
        await call.RecordAsync(CallStepKinds.Fallback, options.FallbackContext, "nobody took the call: dialplan fallback (secretariat, then voicemail)");
        Logger.LogInformation("Call {CallId}: plan ended without anyone taking the call: fallback route", CallId);
        switch (await new FallbackRoute(call.Ari, options.FallbackContext, Logger, call.Time).TakeAsync(CallId, StasisArguments.FallbackExtension(call.CalledNumber), ct))
        {
            case FallbackResult.Continued:
                return CallOutcomes.Fallback;
            case FallbackResult.HungUp:
                _hungUpBy = "engine";
                await call.RecordAsync(CallStepKinds.Error, options.FallbackContext, "the fallback route could not be taken (ARI failing): hung up");
                return CallOutcomes.Failed;
            default:
                return CallOutcomes.Abandoned;
        }
    }
}

/// <summary>Where a call stands in its plan: the rules version it follows, whether it runs the urgent steps, the index of the step running.</summary>
public sealed record PlanPosition(int RulesVersion, bool Urgent, int Step);
