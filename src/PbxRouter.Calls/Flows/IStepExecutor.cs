using PbxRouter.Routing;

namespace PbxRouter.Calls.Flows;

/// <summary>What a plan step ended with, and what it found out; the plan flow decides what runs next.</summary>
public abstract record StepOutcome
{
    private StepOutcome()
    {
    }

    /// <summary>The step gave up (timeout, busy, nobody took it): run the next step of the plan.</summary>
    public sealed record Next : StepOutcome;

    /// <summary>
    /// A person (secretary, remote secretariat, doctor) took the call on <paramref name="Leg"/>, bridged with the caller:
    /// the plan flow waits for either side to hang up. <paramref name="Outcome"/> is the call record's (CallOutcomes).
    /// </summary>
    public sealed record Connected(string Leg, string AnsweredBy, string Outcome) : StepOutcome;

    /// <summary>The call is over (voicemail left, announcement then hang-up...), with the call record's outcome.</summary>
    public sealed record Done(string Outcome) : StepOutcome;

    /// <summary>The caller hung up.</summary>
    public sealed record CallerGone : StepOutcome;

    /// <summary>The caller pressed the urgent key: switch to the plan's urgent steps.</summary>
    public sealed record Urgent : StepOutcome;
}

/// <summary>Runs one kind of plan step (queue, overflow, escalation, voicemail...) on a call in progress.</summary>
public interface IStepExecutor
{
    bool CanRun(PlanStep step);

    Task<StepOutcome> RunAsync(CallContext call, PlanStep step, CancellationToken ct);
}
