using Microsoft.Extensions.Logging;
using PbxRouter.Calls.Prompts;
using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Prompts;

/// <summary>
/// Plays the greeting (early media or after answering, as configured) or an announcement such as the closed message.
/// The plan's urgent key stops it and switches the call to the urgent steps, as in the queue.
/// </summary>
public sealed class PromptStep(EngineOptions options, PromptMedia? prompts = null) : IStepExecutor
{
    /// <summary>Longest a greeting or an announcement may play.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>The file made from the prompt's text in the prompts folder (compiled plans always name one); plans built by
    /// hand without a name keep the configured greeting.</summary>
    private string Media(string? prompt) =>
        prompts is not null && !string.IsNullOrEmpty(prompt) && !prompt.Contains(':') ? prompts.For(prompt) : CallPrompts.Sound(prompt, options.GreetingMedia);

    public bool CanRun(PlanStep step) => step is PlayGreeting or Announce;

    public async Task<StepOutcome> RunAsync(CallContext call, PlanStep step, CancellationToken ct)
    {
        var (media, earlyMedia, kind, name) = step switch
        {
            PlayGreeting g => (Media(g.Sound), g.EarlyMedia, CallStepKinds.Greeting, g.Sound ?? "greeting"),
            Announce a => (Media(a.Prompt), false, CallStepKinds.Announced, a.MessageId),
            _ => throw new ArgumentException($"not a prompt step: {step.GetType().Name}", nameof(step)),
        };
        // Playing on a channel that is not answered sends 183 Session Progress: the greeting is heard before
        // the call is answered (and charged). Announcements are long: they are played on an answered call.
        if (!earlyMedia && !await call.AnswerAsync(ct)) return new StepOutcome.CallerGone();
        await call.RecordAsync(kind, name, earlyMedia ? "early media" : null);
        call.Logger.LogDebug("Call {CallId}: playing {Media}", call.CallId, media);
        var heard = await call.PlayAsync(media, ct, call.UrgentKey, Limit, what: kind);
        if (heard.Gone) return new StepOutcome.CallerGone();
        return heard.Digits.Length == 0 ? new StepOutcome.Next() : await call.UrgentKeyPressedAsync(heard.Digits);
    }
}
