using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Secretariat;

/// <summary>Forwards the call to a number (e.g. the mobile of the doctor who switched "forward to my mobile" on), like an overflow.</summary>
public sealed class ForwardStep(OverflowStep overflow) : IStepExecutor
{
    public bool CanRun(PlanStep step) => step is Forward;

    public async Task<StepOutcome> RunAsync(CallContext call, PlanStep step, CancellationToken ct)
    {
        var forward = (Forward)step;
        var trunk = call.Rules?.Model.Practices.FirstOrDefault(p => p.Id.Value == call.Plan.PracticeId)?.Trunk?.Value;
        // The practice's number travels in Diversion, so the mobile shows that the call was forwarded from the practice.
        var target = new OverflowTarget("forward", "forward", forward.Number, trunk, Diversion: true, HistoryInfo: false, new Dictionary<string, string>());
        var result = await overflow.DialInTurnAsync(call, [target], ct);
        return result is StepOutcome.Connected connected ? connected with { Outcome = CallOutcomes.Answered } : result;
    }
}
