using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PbxRouter.Ari;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Support;

/// <summary>A whole patient's call (PlanCall) on a fake ARI and a fake clock, with a real temporary SQLite store.</summary>
internal sealed class PlanCallHarness : IAsyncDisposable
{
    public const string CallerId = "caller-1";

    private readonly CallEventQueues _queues = new((_, _) => ValueTask.CompletedTask, NullLogger.Instance);
    private readonly TempStore _store = new();
    private readonly PlanCall _session;

    public PlanCallHarness(IReadOnlyList<PlanStep> steps, params IStepExecutor[] executors) : this(steps, [], executors)
    {
    }

    /// <param name="urgent">The plan's urgent steps (run when the caller presses the queue's urgent key).</param>
    public PlanCallHarness(IReadOnlyList<PlanStep> steps, IReadOnlyList<PlanStep> urgent, params IStepExecutor[] executors)
    {
        var plan = new CallPlan
        {
            PracticeId = "tilleuls", PracticeName = "Cabinet des Tilleuls", PracticeState = PracticeState.Open, Reason = "test", Steps = steps, UrgentSteps = urgent,
        };
        var caller = new Channel { Id = CallerId, State = "Ring", Caller = new CallerId { Number = "+33611223344" } };
        Call = new CallContext(new CallServices(Fake.Client(Time, new Loggers(Log)), _queues, Time, Log), caller, plan, null, _store.Records)
        {
            CalledNumber = "+33145000000",
        };
        var trace = new CallTrace(CallerId, "+33145000000", "+33611223344", Time.GetUtcNow());
        _session = new PlanCall(Call, trace, new StepExecutors(executors), new EngineOptions(), 1);
    }

    public FakeAri Fake { get; } = new();
    public FakeTimeProvider Time { get; } = new(FakeClock.Start);
    public ListLogger Log { get; } = new();
    public StoreDatabase Db => _store.Db;
    public CallContext Call { get; }

    /// <summary>Runs the call to its end, letting the fake clock run (timeouts, backoff); the caller hangs up once connected.</summary>
    public async Task<CallRecord> RunAsync()
    {
        _session.Start();
        await Time.RunAsync(HangUpOnceConnectedAsync());
        await _session.Completion;
        return (await _store.RecordAsync(CallerId))!;
    }

    private async Task HangUpOnceConnectedAsync()
    {
        var hungUp = false;
        while (!_session.Completion.IsCompleted)
        {
            if (!hungUp && _session.Trace.Steps.Any(s => s.StartsWith("connected", StringComparison.Ordinal)))
            {
                hungUp = true;
                Call.Deliver(Events.Hangup(CallerId));
            }
            await Task.Delay(1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _queues.DisposeAsync();
        await _store.DisposeAsync();
    }

    private sealed class Loggers(ILogger log) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => log;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
