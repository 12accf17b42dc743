using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Flows.Transfers;
using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows;

/// <summary>
/// A patient's call under the routing rules: runs the plan's steps in order, switches to the urgent steps when the
/// caller presses the urgent key, waits while someone is on the line, and takes the dialplan's fallback route when
/// the plan ends with nobody having taken the call. Where the call stands (<see cref="Position"/>) is plain data, saved
/// on the caller's channel (<see cref="SavedCall"/>) so that the engine started after a crash or restart takes the call
/// back (<paramref name="adopted"/>): the conversation kept, the plan resumed at its step, the queue place kept.
/// </summary>
public sealed class PlanCall(CallContext call, CallTrace trace, StepExecutors executors, EngineOptions options, int rulesVersion,
    AdoptedCall? adopted = null) : CallSession(call, trace)
{
    private string? _hungUpBy, _answeredBy;
    private StepOutcome.Connected? _connected;
    private bool _resumedStepSaved;

    /// <summary>Where the call stands in its plan.</summary>
    public PlanPosition Position { get; private set; } = new(rulesVersion, false, -1);

    protected override async Task<string> RunAsync(CancellationToken ct)
    {
        var start = new CallRecordStart(call.CallId, Trace.StartedAt, call.Plan.PracticeId, call.CalledNumber, call.Caller.Caller.Number,
            rulesVersion, call.Patient.Withheld);
        await call.SaveAsync(new SavedCall(Trace.StartedAt, rulesVersion, Adoptions: adopted is null ? 0 : adopted.Adoptions + 1), write: false);
        string outcome;
        try
        {
            outcome = adopted is null ? await RunPlanAsync(start, ct) : await ResumeAsync(adopted, start, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && HandingOver)
        {
            // The engine stops (SIGTERM): the call stays in Asterisk for the next engine; its record stays open.
            await LeaveToNextEngineAsync();
            return CallSession.HandedOver;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The engine ended the call (its channel vanished while disconnected).
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
        // Who answered first (the secretary), also when the call was transferred since: the transfer is a step of its own.
        await call.Records.EndCallAsync(CallId, outcome, _answeredBy ?? _connected?.AnsweredBy, _hungUpBy, CancellationToken.None);
        return outcome;
    }

    private async Task<string> RunPlanAsync(CallRecordStart start, CancellationToken ct)
    {
        var plan = call.Plan;
        // The caller's number is stored as given (SQL parameters), also when withheld: `pbxrouter calls` masks it.
        await call.Records.StartCallAsync(start, ct);
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
        return await RunStepsAsync(false, 0, ct);
    }

    /// <summary>
    /// A call a previous engine ran (it crashed or restarted): its record is kept (created if that engine never wrote it);
    /// a conversation found up is kept until either side hangs up; otherwise the plan goes on at the step it was in, when
    /// the rules version is the same (else from the start of the plan now in force).
    /// </summary>
    private async Task<string> ResumeAsync(AdoptedCall taken, CallRecordStart start, CancellationToken ct)
    {
        await call.Records.ResumeCallAsync(start, ct);
        if (taken.Connection is { } connection)
        {
            await call.RecordAsync(CallStepKinds.Resumed, connection.AnsweredBy,
                $"the engine restarted: conversation with {connection.AnsweredBy} kept (connected since {connection.At:HH:mm:ss} UTC)");
            Logger.LogInformation("Call {CallId}: taken over, conversation with {Who} kept", CallId, connection.AnsweredBy);
            _answeredBy = connection.FirstAnsweredBy;
            if (await ConnectedAsync(new StepOutcome.Connected(connection.Leg, connection.AnsweredBy, connection.Outcome), ct, resumed: true) is { } over)
                return over;
        }
        var saved = taken.Saved;
        var (urgent, step, why) = saved switch
        {
            null => (false, 0, "no saved state: plan started over"),
            _ when saved.RulesVersion != rulesVersion => (false, 0, $"rules changed (version {saved.RulesVersion} then, {rulesVersion} now): plan started over"),
            _ => (saved.Urgent, Math.Max(0, saved.Step), $"plan resumed at {(saved.Urgent ? "urgent " : "")}step {Math.Max(0, saved.Step) + 1}"),
        };
        var steps = urgent ? call.Plan.UrgentSteps : call.Plan.Steps;
        if (step >= steps.Count) (urgent, step, why) = (false, 0, "saved step not in the plan: plan started over");
        else if (saved is not null && step == saved.Step && steps[step] is PlayGreeting or Announce && step + 1 < steps.Count)
            // The caller was hearing a greeting or an announcement: the plan goes on after it rather than playing it again.
            (step, why) = (step + 1, $"{why}, after the prompt that was playing");
        await call.RecordAsync(CallStepKinds.Resumed, null, $"the engine restarted: {why}");
        Logger.LogInformation("Call {CallId}: taken over, {Why}", CallId, why);
        if (urgent) call.UrgentStepsStarted();
        return await RunStepsAsync(urgent, step, ct);
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

    private async Task<string> RunStepsAsync(bool urgent, int first, CancellationToken ct)
    {
        var steps = urgent ? call.Plan.UrgentSteps : call.Plan.Steps;
        Position = Position with { Urgent = urgent };
        for (var i = first; i < steps.Count; i++)
        {
            if (call.CallerGone) return await AbandonedAsync();
            var step = steps[i];
            Position = Position with { Step = i };
            await SavePositionAsync(step);
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
                    if (await ConnectedAsync(connected, ct) is { } outcome) return outcome;
                    // A failed transfer whose secretary had hung up: the step that connected the patient (the reception
                    // queue) runs again, so the patient is never left in silence.
                    i--;
                    break;
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

    /// <summary>
    /// Saves the step about to run; a queue writes it with its arrival time on joining (one write fewer). The step a call
    /// taken over resumes at is already saved as it stands (its queue place, its message being recorded: a channel that
    /// records runs no other command until the message ends), so it is not written again.
    /// </summary>
    private Task SavePositionAsync(PlanStep step)
    {
        if (call.Resumed is { } before && before.Step == Position.Step && before.Urgent == Position.Urgent && !_resumedStepSaved)
        {
            _resumedStepSaved = true;
            return call.SaveAsync(before with { Adoptions = call.Saved!.Adoptions, Connection = null }, write: false);
        }
        var state = call.Saved! with { Urgent = Position.Urgent, Step = Position.Step, QueueId = null, QueuedAt = null, Recording = null };
        return call.SaveAsync(state, write: step is not Queue);
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

    /// <summary>
    /// Someone took the call: saved (a restarted engine keeps the conversation), then wait until either side hangs up and
    /// end the other side. After a reconnect (<see cref="CallResumed"/>) or a takeover the leg is looked at again: its
    /// hang-up may have been missed while no engine listened.
    /// </summary>
    /// <returns>The call's outcome; null when a failed transfer sends the patient back to the plan (the secretary had hung up).</returns>
    private async Task<string?> ConnectedAsync(StepOutcome.Connected connected, CancellationToken ct, bool resumed = false)
    {
        _connected = connected;
        _answeredBy ??= connected.AnsweredBy;
        Trace.Step($"connected to {connected.AnsweredBy}");
        if (!resumed) await SaveConnectionAsync(connected);
        var check = resumed;
        while (!call.CallerGone)
        {
            var over = check && !await LegStillThereAsync(connected.Leg, ct);
            AriEvent? e = null;
            if (!over) over = (e = await call.NextEventAsync(TimeSpan.FromMinutes(5), ct)) is not null && e.Ends(connected.Leg);
            if (e is ChannelTransfer seen)
                Logger.LogDebug("Call {CallId}: ChannelTransfer state '{State}' from {Source}, destination '{Destination}', replaces {Replaced}", CallId,
                    seen.State, seen.ReferredBy.SourceChannel.Id, UntrustedText.ForDisplay(seen.ReferTo.RequestedDestination.Destination ?? "", 40),
                    seen.ReferTo.DestinationChannel?.Id ?? seen.ReferTo.RequestedDestination.ProtocolId ?? "-");
            if (e is ChannelTransfer { IsRequest: true } refer && refer.ReferredBy.SourceChannel.Id == connected.Leg)
            {
                // The phone on the call pressed its transfer key (SIP REFER).
                switch (await new CallTransfer(call, options).RunAsync(refer, connected, ct))
                {
                    case TransferResult.Transferred transferred:
                        connected = _connected = transferred.Connection;
                        Trace.Step($"transferred to {connected.AnsweredBy}");
                        await SaveConnectionAsync(connected);
                        break;
                    case TransferResult.BackToPlan:
                        _connected = null;
                        await call.SaveAsync(call.Saved! with { Connection = null });
                        return null;
                }
                check = false;
                continue;
            }
            if (over)
            {
                _hungUpBy = connected.AnsweredBy;
                await call.HangUpCallerAsync("normal", ct);
                break;
            }
            check = e is CallResumed;
        }
        _hungUpBy ??= "caller";
        await call.RecordAsync(CallStepKinds.HungUp, _hungUpBy);
        await call.EndAllAsync();
        return connected.Outcome;
    }

    /// <summary>Saves the conversation on the caller's channel: a restarted engine keeps it (also after a transfer).</summary>
    private Task SaveConnectionAsync(StepOutcome.Connected connected) => call.SaveAsync(call.Saved! with
    {
        QueueId = null, QueuedAt = null,
        Connection = new SavedConnection(connected.Leg, connected.AnsweredBy, connected.Outcome, call.Time.GetUtcNow(),
            _answeredBy == connected.AnsweredBy ? null : _answeredBy),
    });

    /// <summary>False when the connected leg is gone (hung up while no engine listened).</summary>
    private async Task<bool> LegStillThereAsync(string leg, CancellationToken ct)
    {
        try
        {
            await call.Ari.Channels.GetAsync(leg, ct);
            return true;
        }
        catch (AriException e) when (Gone.IsLeg(e))
        {
            return false;
        }
    }

    /// <summary>
    /// The engine stops: the call is left to the next engine. A conversation stays as it is; a caller still in the plan
    /// hears music (answered) or ringing (not yet) instead of what the stopping engine played, and the legs it was ringing
    /// stop (the next engine runs the step again).
    /// </summary>
    private async Task LeaveToNextEngineAsync()
    {
        foreach (var leg in call.Legs.All.Reverse())
        {
            if (_connected is not null && (leg.Id == _connected.Leg || leg.Kind == LegKind.Bridge)) continue;
            try
            {
                await call.EndAsync(leg, ct: CancellationToken.None);
            }
            catch (AriException e)
            {
                Logger.LogWarning("Call {CallId}: could not end {Kind} {Id} on handing over: {Error}", CallId, leg.Kind, leg.Id, e.Message);
            }
        }
        if (_connected is null && !call.CallerGone)
        {
            try
            {
                await call.OnCallerAsync(() => call.Answered ? call.Ari.Channels.StartMohAsync(CallId, null, CancellationToken.None)
                    : call.Ari.Channels.RingAsync(CallId, CancellationToken.None), "keep the caller company while handing over");
            }
            catch (AriException e)
            {
                Logger.LogWarning("Call {CallId}: {Error} while handing over", CallId, e.Message);
            }
        }
        Logger.LogInformation("Call {CallId}: handed over to the next engine ({State})", CallId,
            _connected is null ? $"step {Position.Step + 1}" : $"connected to {_connected.AnsweredBy}");
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
        // A refusal lasts milliseconds: its record is stored before the refusal goes out (bounded), so that an engine
        // killed right after it still leaves the call accounted for (the next engine closes it as refused).
        await StoredBeforeAsync(TimeSpan.FromSeconds(1), ct);
        await call.HangUpCallerAsync(unknown ? "unallocated" : "rejected", ct);
        return CallOutcomes.Refused;
    }

    /// <summary>Waits (at most <paramref name="limit"/>) until the call record's writes queued so far are stored.</summary>
    private async Task StoredBeforeAsync(TimeSpan limit, CancellationToken ct)
    {
        try
        {
            await call.Records.FlushAsync(ct).WaitAsync(limit, call.Time, ct);
        }
        catch (TimeoutException)
        {
            Logger.LogWarning("Call {CallId}: call record not stored within {Limit:0.#} s: the call goes on", CallId, limit.TotalSeconds);
        }
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

/// <summary>
/// A call the engine took over from a previous engine: what that engine saved on the caller's channel, the conversation
/// found up in Asterisk (the leg bridged with the caller), and how many engines took it over before.
/// </summary>
public sealed record AdoptedCall(SavedCall? Saved, SavedConnection? Connection)
{
    public int Adoptions => Saved?.Adoptions ?? 0;
}

/// <summary>Where a call stands in its plan: the rules version it follows, whether it runs the urgent steps, the index of the step running.</summary>
public sealed record PlanPosition(int RulesVersion, bool Urgent, int Step);
