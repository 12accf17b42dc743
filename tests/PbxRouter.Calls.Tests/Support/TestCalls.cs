using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Ari;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Support;

/// <summary>A patient's call on a fake ARI, with a real (temporary) SQLite store behind it.</summary>
internal sealed class TestCall : IAsyncDisposable
{
    public const string PatientId = "patient-1", PatientNumber = "+33611223344";

    private readonly TempStore _store = new();
    private readonly CallEventQueues _queues = new((_, _) => ValueTask.CompletedTask, NullLogger.Instance);

    public FakeAri Fake { get; } = new();
    public StoreDatabase Db => _store.Db;
    public CallRecordWriter Records => _store.Records;
    public CallContext Call { get; }
    public string Folder => _store.Folder;

    private TestCall(IReadOnlyList<PlanStep> steps, bool answered, TimeProvider? time = null, string? presentation = null, CallPlan? plan = null)
    {
        plan ??= new CallPlan { PracticeId = "tilleuls", PracticeName = "Cabinet des Tilleuls", PracticeState = PracticeState.Open, Reason = "test", Steps = steps };
        // An "Up" channel counts as answered already (no answer sent).
        var caller = new Channel { Id = PatientId, Name = "PJSIP/trunk-00000001", State = answered ? "Up" : "Ring", Caller = new CallerId { Number = PatientNumber } };
        Call = new CallContext(new CallServices(Fake.Client(), _queues, time ?? TimeProvider.System, NullLogger.Instance), caller, plan, null, Records)
        {
            CalledNumber = "+33145000000",
            Patient = PatientIdentity.Of(caller.Caller, presentation),
        };
    }

    public static TestCall With(params PlanStep[] steps) => new(steps, answered: true);

    /// <summary>A call following <paramref name="plan"/> (e.g. one with urgent steps, so that the urgent key counts).</summary>
    public static TestCall Planned(CallPlan plan) => new(plan.Steps, answered: true, plan: plan);

    /// <summary>A call whose flow runs on <paramref name="time"/> (e.g. a FakeTimeProvider the test advances).</summary>
    public static TestCall On(TimeProvider time, params PlanStep[] steps) => new(steps, answered: true, time);

    /// <summary>A patient who withheld their number (Privacy: id: CALLERID(pres) prohib_not_screened, the number from P-Asserted-Identity).</summary>
    public static TestCall Withheld(params PlanStep[] steps) => new(steps, answered: true, presentation: "prohib_not_screened");

    /// <summary>Makes every playback on any channel finish at once (as if the prompts were very short).</summary>
    public TestCall PlaybacksFinishAtOnce()
    {
        Fake.On(@"^POST channels/[^/]+/play/", line => Call.Deliver(Events.PlaybackFinished(Events.ChannelOf(line), Events.PlaybackIdOf(line))));
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _queues.DisposeAsync();
        await _store.DisposeAsync();
    }
}
