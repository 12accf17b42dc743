using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Fallback;
using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Voicemail;

/// <summary>
/// Takes a message: greeting, beep, recording (ARI record, named so that it says whose it is: <see cref="FallbackMessage"/>),
/// then indexes it in the store and notifies the box's targets (<see cref="VoicemailIndex"/>). The recording's name is
/// saved with the call: an engine that takes the call over after a restart waits for that recording instead of starting
/// another, and a recording whose caller hung up while no engine ran is imported by its name. Voicemails are health
/// data: logs carry ids and durations, never the caller's number or the audio.
/// </summary>
public sealed class VoicemailExecutor(VoicemailIndex index, VoicemailOptions options) : IStepExecutor
{
    public bool CanRun(PlanStep step) => step is Routing.Voicemail;

    public async Task<StepOutcome> RunAsync(CallContext call, PlanStep step, CancellationToken ct)
    {
        var box = (Routing.Voicemail)step;
        if (call.CallerGone || !await call.AnswerAsync(ct).ConfigureAwait(false)) return new StepOutcome.CallerGone();
        try
        {
            FallbackMessage message;
            int? duration;
            if (call.TakeRecording() is { } resumed && FallbackMessage.TryParse(resumed) is { } taken && taken.Box == box.Box)
            {
                // A previous engine started this message: wait for it (or take it as Asterisk finished it).
                message = taken;
                duration = await ResumeRecordingAsync(call, message.RecordingName, ct).ConfigureAwait(false);
            }
            else
            {
                var greeting = GreetingFor(call, box);
                if (greeting is not null && (await call.PlayAsync(greeting, ct, lang: "fr", what: "vm-greeting").ConfigureAwait(false)).Gone)
                    return new StepOutcome.CallerGone();
                message = FallbackMessage.ByEngineNow(call.Plan.PracticeId ?? "none", box.Box, call.Time.GetUtcNow(), call.CallId, call.Caller.Caller.Number);
                duration = await RecordAsync(call, message.RecordingName, ct).ConfigureAwait(false);
            }
            var (messageId, recordingName) = (message.MessageId, message.RecordingName);
            if (duration is null) return call.CallerGone ? new StepOutcome.CallerGone() : new StepOutcome.Next();
            if (duration < options.MinDurationSeconds)
            {
                call.Logger.LogInformation("Call {CallId}: empty message ({Duration} s) in box {Box} not kept", call.CallId, duration, box.Box);
                await DeleteRecordingAsync(call, recordingName, ct).ConfigureAwait(false);
                return call.CallerGone ? new StepOutcome.CallerGone() : new StepOutcome.Next();
            }
            await StoreAndNotifyAsync(call, box, call.Plan.PracticeId ?? "none", messageId, recordingName, duration.Value, call.RecordAsync, ct)
                .ConfigureAwait(false);
            if (!call.CallerGone && !(await call.PlayAsync(options.Thanks, ct, lang: "fr", what: "vm-thanks").ConfigureAwait(false)).Gone)
                await call.HangUpCallerAsync("normal", ct).ConfigureAwait(false);
            return new StepOutcome.Done(CallOutcomes.Voicemail);
        }
        catch (AriException e) when (call.IsCallerGone(e))
        {
            return new StepOutcome.CallerGone();
        }
    }

    /// <summary>
    /// A message in <paramref name="box"/> of <paramref name="practice"/> from a call that is no patient's plan (a practice's
    /// phone whose internal call was not answered): greeting, beep, recording, index and notification, thanks; each step goes
    /// to <paramref name="record"/> (kind, target, detail), the call's record. Not taken over by a later engine.
    /// </summary>
    public async Task<StepOutcome> TakeMessageAsync(LiveCall call, Routing.Voicemail box, string practice,
        Func<string, string?, string?, ValueTask> record, CancellationToken ct)
    {
        if (call.CallerGone || !await call.AnswerAsync(ct).ConfigureAwait(false)) return new StepOutcome.CallerGone();
        try
        {
            if ((await call.PlayAsync(box.Urgent ? options.UrgentGreeting : options.Greeting, ct, lang: "fr", what: "vm-greeting").ConfigureAwait(false)).Gone)
                return new StepOutcome.CallerGone();
            var message = FallbackMessage.ByEngineNow(practice, box.Box, call.Time.GetUtcNow(), call.CallId, call.Channel.Caller.Number);
            var duration = await StartRecordingAsync(call, message.RecordingName, record, ct).ConfigureAwait(false)
                ? await RecordingEndAsync(call, message.RecordingName, ct).ConfigureAwait(false) : null;
            if (duration is null || duration < options.MinDurationSeconds)
            {
                if (duration is not null) await DeleteRecordingAsync(call, message.RecordingName, ct).ConfigureAwait(false);
                return call.CallerGone ? new StepOutcome.CallerGone() : new StepOutcome.Next();
            }
            await StoreAndNotifyAsync(call, box, practice, message.MessageId, message.RecordingName, duration.Value, record, ct).ConfigureAwait(false);
            if (!call.CallerGone && !(await call.PlayAsync(options.Thanks, ct, lang: "fr", what: "vm-thanks").ConfigureAwait(false)).Gone)
                await call.HangUpCallerAsync("normal", ct).ConfigureAwait(false);
            return new StepOutcome.Done(CallOutcomes.Voicemail);
        }
        catch (AriException e) when (call.IsCallerGone(e))
        {
            return new StepOutcome.CallerGone();
        }
    }

    /// <summary>The urgent greeting always; a normal box's greeting only when the step before did not already announce the beep.</summary>
    private string? GreetingFor(CallContext call, Routing.Voicemail box)
    {
        if (box.Urgent) return options.UrgentGreeting;
        var steps = call.Plan.Steps;
        var index = -1;
        for (var i = 0; i < steps.Count; i++)
            if (ReferenceEquals(steps[i], box)) index = i;
        return index > 0 && steps[index - 1] is Announce ? null : options.Greeting;
    }

    /// <summary>Records until #, silence, the maximum duration or the caller's hang-up; returns the duration, or null when it failed.</summary>
    private async Task<int?> RecordAsync(CallContext call, string name, CancellationToken ct)
    {
        // Saved before it starts: while a channel records, Asterisk runs no other command on it (a variable set would wait
        // for the end of the message), and an engine that takes the call over must find the name.
        if (call.Saved is { } saved) await call.SaveAsync(saved with { Recording = name }).ConfigureAwait(false);
        if (!await StartRecordingAsync(call, name, call.RecordAsync, ct).ConfigureAwait(false)) return null;
        return await RecordingEndAsync(call, name, ct).ConfigureAwait(false);
    }

    /// <summary>Starts recording the caller (out of any bridge); false when Asterisk refused (recorded as an error step).</summary>
    private async Task<bool> StartRecordingAsync(LiveCall call, string name, Func<string, string?, string?, ValueTask> record, CancellationToken ct)
    {
        var request = new RecordRequest
        {
            Name = name, Format = "wav", MaxDurationSeconds = options.MaxDurationSeconds, MaxSilenceSeconds = options.MaxSilenceSeconds,
            Beep = true, TerminateOn = "#", IfExists = "fail",
        };
        try
        {
            try
            {
                await call.Ari.Channels.RecordAsync(call.CallId, request, ct).ConfigureAwait(false);
            }
            catch (AriConflictException)
            {
                // Recording is refused while the channel is bridged (e.g. still in a holding bridge): take it out, then record.
                await LeaveBridgesAsync(call, ct).ConfigureAwait(false);
                await call.Ari.Channels.RecordAsync(call.CallId, request, ct).ConfigureAwait(false);
            }
        }
        catch (AriException ex) when (!call.IsCallerGone(ex))
        {
            // E.g. Asterisk's recording folder is missing: the plan's next step (the fallback voicemail) takes the caller.
            call.Logger.LogError("Call {CallId}: recording {Name} could not start: {Error}", call.CallId, name, ex.Message);
            await record(CallStepKinds.Error, "voicemail", ex.Message).ConfigureAwait(false);
            return false;
        }
        await record(CallStepKinds.Voicemail, null, "recording").ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The message a previous engine was recording: still being recorded (wait for its end as usual), or finished while
    /// no engine listened (its duration read from the file); null when Asterisk has neither.
    /// </summary>
    private async Task<int?> ResumeRecordingAsync(CallContext call, string name, CancellationToken ct)
    {
        await call.RecordAsync(CallStepKinds.Voicemail, null, "recording (taken over)").ConfigureAwait(false);
        try
        {
            await call.Ari.Recordings.GetLiveAsync(name, ct).ConfigureAwait(false);
            return await RecordingEndAsync(call, name, ct).ConfigureAwait(false);
        }
        catch (AriNotFoundException)
        {
        }
        try
        {
            return await WavDuration.OfStoredAsync(call.Ari, name, ct).ConfigureAwait(false);
        }
        catch (AriNotFoundException)
        {
            call.Logger.LogWarning("Call {CallId}: message {Name} of the previous engine is neither being recorded nor stored", call.CallId, name);
            return null;
        }
    }

    private async Task<int?> RecordingEndAsync(LiveCall call, string name, CancellationToken ct)
    {
        // A hang-up ends the recording and Asterisk still reports RecordingFinished: wait for it (bounded), also after the
        // caller hung up (so not WaitForAsync, which ends with the caller).
        var end = await call.Inbox.TakeAsync(e => e is RecordingFinished f && f.Recording.Name == name || e is RecordingFailed g && g.Recording.Name == name,
            TimeSpan.FromSeconds(options.MaxDurationSeconds + 15), ct).ConfigureAwait(false);
        switch (end)
        {
            case RecordingFinished f:
                return f.Recording.Duration ?? 0;
            case RecordingFailed f:
                call.Logger.LogError("Call {CallId}: recording {Name} failed: {Cause}", call.CallId, name, f.Recording.Cause);
                return null;
        }
        call.Logger.LogError("Call {CallId}: recording {Name} did not finish in time", call.CallId, name);
        return null;
    }

    private async Task StoreAndNotifyAsync(LiveCall call, Routing.Voicemail box, string practice, string messageId, string recordingName, int duration,
        Func<string, string?, string?, ValueTask> record, CancellationToken ct)
    {
        var caller = call.Channel.Caller.Number;
        var at = call.Time.GetUtcNow();
        var message = new VoicemailMessage(messageId, box.Box, practice, string.IsNullOrEmpty(caller) ? null : caller, at, duration, recordingName,
            box.Urgent, call.CallId);
        try
        {
            await index.AddAsync(message, box.Notify, ct, tellAnyway: true).ConfigureAwait(false);
            call.Logger.LogInformation("Call {CallId}: message {MessageId} ({Duration} s) stored in {Urgency} box {Box}",
                call.CallId, messageId, duration, box.Urgent ? "urgent" : "normal", box.Box);
        }
        catch (StoreException e)
        {
            // Database locked or disk full: the audio is safe in Asterisk's recordings; the caller still hears the thanks
            // and the box's targets are still told. The log names the recording so that it can be indexed again.
            call.Logger.LogError("Call {CallId}: message {MessageId} recorded as {Recording} but not indexed in box {Box}: {Error}",
                call.CallId, messageId, recordingName, box.Box, e.Message);
            await record(CallStepKinds.Error, box.Box, $"message {messageId} recorded as {recordingName}, not indexed: {e.Message}")
                .ConfigureAwait(false);
        }
        await record(CallStepKinds.Voicemail, box.Box, $"message {messageId}, {duration} s").ConfigureAwait(false);
    }

    private static async Task LeaveBridgesAsync(LiveCall call, CancellationToken ct)
    {
        foreach (var bridge in await call.Ari.Bridges.ListAsync(ct).ConfigureAwait(false))
        {
            if (bridge.Channels.Contains(call.CallId))
                await call.Ari.Bridges.RemoveChannelAsync(bridge.Id, call.CallId, ct).ConfigureAwait(false);
        }
    }

    private static Task DeleteRecordingAsync(LiveCall call, string name, CancellationToken ct) =>
        call.OnLegAsync(() => call.Ari.Recordings.DeleteStoredAsync(name, ct));
}
