using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Flows.Escalation;

/// <summary>How one attempt to reach a doctor's mobile ended.</summary>
internal enum LegOutcome { Accepted, NoAnswer, NoKey, Failed, CallerGone }

/// <summary>
/// One doctor's mobile, rung through the trunk in its own state: ringing, then screening (the prompt plays to the
/// mobile only and the screening key must be pressed), then accepted. Everything else hangs this leg up.
/// </summary>
internal sealed class MobileLeg(CallContext call, EscalationContact contact, string screeningKey, string trunk,
    EscalationOptions options, PatientHold hold)
{
    private enum State { Ringing, Screening }

    /// <summary>How often the leg is looked at when no event comes (an event lost in a reconnect must not hold the patient).</summary>
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(2);

    private readonly string _promptId = call.NewId("screening");
    private State _state = State.Ringing;
    private int _prompts;

    public string Id { get; } = call.NewId("mobile");

    /// <summary>The contact for logs: the name from the rules, or a masked number.</summary>
    public string Who => contact.Name ?? PhoneNumberMask.Mask(contact.Number);

    public async Task<LegOutcome> RunAsync(CancellationToken ct)
    {
        if (!await CreateAndDialAsync(ct).ConfigureAwait(false)) return call.CallerGone ? LegOutcome.CallerGone : LegOutcome.Failed;
        var deadline = call.Time.GetUtcNow() + contact.RingTime;
        while (true)
        {
            var left = deadline - call.Time.GetUtcNow();
            if (left <= TimeSpan.Zero)
                return await GiveUpAsync(_state == State.Ringing ? LegOutcome.NoAnswer : LegOutcome.NoKey, "no_answer", ct).ConfigureAwait(false);
            var e = await call.NextEventAsync(left < PollEvery ? left : PollEvery, ct).ConfigureAwait(false);
            if (e is null)
            {
                if (!await StillThereAsync(ct).ConfigureAwait(false)) return await GiveUpAsync(LegOutcome.Failed, "normal", ct).ConfigureAwait(false);
                continue;
            }
            call.Logger.LogDebug("Call {CallId}: {Event} while ringing {Contact} ({State})", call.CallId, e.Type, Who, _state);
            await hold.HandleAsync(e, ct).ConfigureAwait(false);
            if (call.CallerGone) return await GiveUpAsync(LegOutcome.CallerGone, "normal", ct).ConfigureAwait(false);
            switch (e)
            {
                case Dial d when d.Peer?.Id == Id:
                    if (d.DialStatus == "ANSWER") deadline = await ScreenAsync(deadline, ct).ConfigureAwait(false);
                    else if (d.IsFinal())
                    {
                        call.Logger.LogInformation("Call {CallId}: mobile of {Contact} not reached ({Status})", call.CallId, Who, d.DialStatus);
                        return await GiveUpAsync(LegOutcome.Failed, "normal", ct).ConfigureAwait(false);
                    }
                    break;
                case ChannelStateChange s when s.Channel.Id == Id && s.Channel.State == "Up":
                    deadline = await ScreenAsync(deadline, ct).ConfigureAwait(false);
                    break;
                case ChannelDtmfReceived k when k.Channel.Id == Id && _state == State.Screening:
                    if (k.Digit == screeningKey)
                    {
                        await call.EndAsync(_promptId, ct: ct).ConfigureAwait(false);
                        return LegOutcome.Accepted;
                    }
                    break;
                case PlaybackFinished p when p.Playback.Id == _promptId && _state == State.Screening && _prompts < 3:
                    await PlayPromptAsync(ct).ConfigureAwait(false); // say it again until the screening time is over
                    break;
                case var gone when gone.Ends(Id):
                    call.Logger.LogInformation("Call {CallId}: mobile of {Contact} hung up before accepting", call.CallId, Who);
                    return await GiveUpAsync(LegOutcome.Failed, "normal", ct).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> StillThereAsync(CancellationToken ct)
    {
        try
        {
            var leg = await call.Ari.Channels.GetAsync(Id, ct).ConfigureAwait(false);
            call.Logger.LogDebug("Call {CallId}: mobile of {Contact} is {State}", call.CallId, Who, leg.State);
            return true;
        }
        catch (AriException ex) when (Gone.IsLeg(ex))
        {
            call.Logger.LogInformation("Call {CallId}: mobile of {Contact} is gone", call.CallId, Who);
            return false;
        }
        catch (AriException ex)
        {
            // Asterisk briefly unreachable: the deadline still bounds the wait.
            call.Logger.LogDebug("Call {CallId}: could not look at the mobile's leg: {Error}", call.CallId, ex.Message);
            return true;
        }
    }

    private async Task<bool> CreateAndDialAsync(CancellationToken ct)
    {
        // On an outgoing PJSIP leg the From comes from the connected line (ari-facts.md): the doctor sees the patient's
        // number, unless the patient withheld it.
        var variables = call.Patient.ConnectedLine($"URGENT {call.Plan.PracticeName ?? "cabinet"}");
        variables["PJSIP_HEADER(add,X-PbxRouter-Urgent)"] = call.Plan.PracticeId ?? "yes";
        try
        {
            if (await call.CreateLegAsync(new CreateChannelRequest
                { Endpoint = $"PJSIP/{contact.Number}@{trunk}", ChannelId = Id, AppArgs = "leg,escalation", Variables = variables },
                LegKind.MobileLeg, Who, ct).ConfigureAwait(false))
            {
                await call.Ari.Channels.DialAsync(Id, timeoutSeconds: CallWaits.DialTimeout(contact.RingTime), ct: ct).ConfigureAwait(false);
                return true;
            }
            call.Logger.LogWarning("Call {CallId}: mobile of {Contact} did not enter Stasis", call.CallId, Who);
        }
        catch (AriException ex)
        {
            call.Logger.LogWarning("Call {CallId}: mobile of {Contact} could not be dialled through {Trunk}: {Error}", call.CallId, Who, trunk, ex.Message);
        }
        await call.EndAsync(Id, ct: ct).ConfigureAwait(false);
        return false;
    }

    /// <summary>The mobile answered: only now does the screening start, with its own bounded time.</summary>
    private async Task<DateTimeOffset> ScreenAsync(DateTimeOffset deadline, CancellationToken ct)
    {
        if (_state == State.Screening) return deadline;
        _state = State.Screening;
        call.Logger.LogInformation("Call {CallId}: mobile of {Contact} answered; waiting for the screening key", call.CallId, Who);
        await PlayPromptAsync(ct).ConfigureAwait(false);
        return call.Time.GetUtcNow() + options.ScreeningTime;
    }

    private async Task PlayPromptAsync(CancellationToken ct)
    {
        _prompts++;
        var media = screeningKey == "1" ? options.ScreeningPrompt : string.Format(options.ScreeningPromptAnyKey, screeningKey);
        // The mobile may have hung up meanwhile: its hang-up events follow.
        if (await call.OnLegAsync(() => call.Ari.Channels.PlayAsync(Id, media, _promptId, "fr", ct)).ConfigureAwait(false))
            call.Add(_promptId, LegKind.Playback, Who);
    }

    private async Task<LegOutcome> GiveUpAsync(LegOutcome outcome, string reason, CancellationToken ct)
    {
        await call.EndAsync(_promptId, ct: ct).ConfigureAwait(false);
        await call.EndAsync(Id, reason, ct).ConfigureAwait(false);
        return outcome;
    }
}
