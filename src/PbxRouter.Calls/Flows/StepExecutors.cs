using PbxRouter.Routing;

namespace PbxRouter.Calls.Flows;

/// <summary>Every registered <see cref="IStepExecutor"/> (DI: AddSingleton&lt;IStepExecutor, X&gt;()); the first that can run a step runs it.</summary>
public sealed class StepExecutors(IEnumerable<IStepExecutor> executors)
{
    private readonly IStepExecutor[] _all = [.. executors];

    /// <summary>The executor for <paramref name="step"/>, or null when none is registered (the step is then skipped).</summary>
    public IStepExecutor? For(PlanStep step) => Array.Find(_all, e => e.CanRun(step));
}
