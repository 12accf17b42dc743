using Microsoft.Extensions.Logging;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Prompts;

/// <summary>Plays the greeting (early media or after answering, as configured) or an announcement such as the closed message.</summary>
public sealed class PromptStep(EngineOptions options) : IStepExecutor
{
    public bool CanRun(PlanStep step) => step is PlayGreeting or Announce;

    public async Task<StepResult> RunAsync(CallContext call, PlanStep step, CancellationToken ct)
    {
        var (media, earlyMedia, kind, name) = step switch
        {
            PlayGreeting g => (CallWaits.Sound(g.Sound, options.GreetingMedia), g.EarlyMedia, CallStepKinds.Greeting, g.Sound ?? "greeting"),
            Announce a => (CallWaits.Sound(a.Prompt, options.GreetingMedia), false, CallStepKinds.Announced, a.MessageId),
            _ => throw new ArgumentException($"not a prompt step: {step.GetType().Name}", nameof(step)),
        };
        // Playing on a channel that is not answered sends 183 Session Progress: the greeting is heard before
        // the call is answered (and charged). Announcements are long: they are played on an answered call.
        if (!earlyMedia && !await call.AnswerAsync(ct)) return StepResult.CallerGone;
        await call.RecordAsync(kind, name, earlyMedia ? "early media" : null);
        call.Logger.LogDebug("Call {CallId}: playing {Media}", call.CallId, media);
        return await call.PlayAsync(media, ct) ? StepResult.Next : StepResult.CallerGone;
    }
}
