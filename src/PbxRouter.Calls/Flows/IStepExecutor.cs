using PbxRouter.Routing;

namespace PbxRouter.Calls.Flows;

/// <summary>What a plan step ended with; the plan flow decides what runs next.</summary>
public enum StepResult
{
    /// <summary>The step gave up (timeout, busy, nobody took it): run the next step of the plan.</summary>
    Next,
    /// <summary>A person (secretary, remote secretariat, doctor) took the call: wait for the call to end.</summary>
    Connected,
    /// <summary>The call is over (voicemail left, refused, announcement then hang-up...).</summary>
    Done,
    /// <summary>The caller hung up.</summary>
    CallerGone,
    /// <summary>The caller pressed the urgent key: switch to the plan's urgent steps.</summary>
    Urgent,
}

/// <summary>Runs one kind of plan step (queue, overflow, escalation, voicemail...) on a call in progress.</summary>
public interface IStepExecutor
{
    bool CanRun(PlanStep step);

    Task<StepResult> RunAsync(CallContext call, PlanStep step, CancellationToken ct);
}
