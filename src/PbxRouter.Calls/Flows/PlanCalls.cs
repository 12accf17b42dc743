using Microsoft.Extensions.Logging;
using NodaTime;
using PbxRouter.Ari;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Rules;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows;

/// <summary>Starts a <see cref="PlanCall"/> for a patient's call once routing rules are applied (before that, the greeting flow runs).</summary>
public sealed class PlanCalls(
    AriClient ari, ActiveRules rules, RuntimeModes modes, CallRecordWriter records, StepExecutors executors,
    EngineOptions options, ILoggerFactory loggers, TimeProvider time)
{
    private readonly ILogger _logger = loggers.CreateLogger<PlanCall>();

    /// <summary>The routed call, or null when no rules are applied.</summary>
    /// <param name="dialled">What the trunk dialled when it was not a number (URI-encoded by the dialplan), for the call record.</param>
    public PlanCall? TryCreate(Channel caller, string called, PatientIdentity patient, string? dialled, CallTrace trace, CallEventQueues queues)
    {
        var version = rules.Version;
        if (rules.Current is not { } compiled) return null;
        var request = new CallRequest(called, caller.Caller.Number, Instant.FromDateTimeOffset(time.GetUtcNow()));
        var plan = RoutingDecision.Decide(compiled, request, modes.Current);
        var context = new CallContext(ari, caller, plan, compiled, records, queues, _logger, time)
        {
            CalledNumber = called, Patient = patient, Dialled = dialled,
        };
        trace.Step($"plan: {plan.PracticeState} ({plan.PracticeId ?? "no practice"})");
        return new PlanCall(context, trace, executors, options, version);
    }
}
