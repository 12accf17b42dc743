using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Runtime;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Flows.Transfers;

/// <summary>
/// A patient's call answered by accueil-1 (its reception queue, scripted: leg "leg-1" in bridge "bridge-1"), on the fake
/// ARI, with rules where tilleuls has Dr Martin's desk phone (extension 201) and another practice has extension 301.
/// </summary>
internal sealed class TransferCall : IAsyncDisposable
{
    public const string Caller = "caller-1", Secretary = "leg-1", Bridge = "bridge-1";

    private const string Rules = """
        version: 1
        trunks:
          - { id: t1, host: "127.0.0.2:5090", ip_addresses: ["127.0.0.2"] }
        practices:
          - id: tilleuls
            name: Tilleuls
            numbers: ["01 45 00 00 00"]
            trunk: t1
            phones:
              - { id: accueil-1, extension: "101", password_env: A1 }
              - { id: dr-martin, extension: "201", password_env: DM }
            hours: { monday-sunday: ["00:00-24:00"] }
            queue: { members: [accueil-1] }
            routes: { open: [queue], closed: [queue] }
          - id: autre
            name: Autre
            numbers: ["01 46 00 00 00"]
            trunk: t1
            phones:
              - { id: dr-x, extension: "301", password_env: DX }
            hours: { monday-sunday: ["00:00-24:00"] }
            queue: { members: [dr-x] }
            routes: { open: [queue], closed: [queue] }
        """;

    private readonly CallEventQueues _queues = new((_, _) => ValueTask.CompletedTask, NullLogger.Instance);
    private readonly TempStore _store = new();
    private readonly PlanCall _session;

    public TransferCall(TimeSpan? ringTime = null)
    {
        var compiled = RulesCompiler.Compile("transfers.yaml", Rules);
        var rules = compiled.Rules ?? throw new InvalidOperationException(string.Join("\n", compiled.Errors));
        var queue = new Queue("tilleuls", ["accueil-1"], QueueStrategy.RingAll, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(45), 3, null,
            "default", null, false, "open");
        var plan = new CallPlan { PracticeId = "tilleuls", PracticeState = PracticeState.Open, Reason = "test", Steps = [queue, Hangup.AtEndOfPlan] };
        var caller = new Channel { Id = Caller, State = "Up", Caller = new CallerId { Number = "+33611223344" } };
        Call = new CallContext(new CallServices(Fake.Client(), _queues, TimeProvider.System, NullLogger.Instance, Handover), caller, plan, rules, _store.Records)
        {
            CalledNumber = "+33145000000", Patient = PatientIdentity.Of(caller.Caller, "allowed"),
        };
        var trace = new CallTrace(Caller, "+33145000000", "+33611223344", TimeProvider.System.GetUtcNow());
        _session = new PlanCall(Call, trace, new StepExecutors([Reception]), new EngineOptions { TransferRingTime = ringTime ?? TimeSpan.FromSeconds(5) }, 1);
        // A created leg enters Stasis at once.
        Fake.On("^POST channels/create", line => Call.Deliver(new StasisStart { Type = "StasisStart", Channel = Events.Ch(Events.Param(line, "channelId"), "Down") }));
    }

    public FakeAri Fake { get; } = new();
    public CallContext Call { get; }
    public AnsweringReception Reception { get; } = new();
    public RecordingHandover Handover { get; } = new();

    /// <summary>Starts the call and waits until the secretary talks to the patient.</summary>
    public async Task ConnectedAsync()
    {
        _session.Start();
        await UntilAsync(() => _session.Trace.Steps.Count(s => s.StartsWith("connected", StringComparison.Ordinal)) >= 1);
    }

    /// <summary>The secretary's phone sends a blind REFER to <paramref name="destination"/>.</summary>
    public void BlindRefer(string destination) => Call.Deliver(new ChannelTransfer
    {
        Type = "ChannelTransfer",
        ReferTo = new ReferTo { RequestedDestination = new RequiredDestination { Destination = destination } },
        ReferredBy = new ReferredBy { SourceChannel = Events.Ch(Secretary), ConnectedChannel = Events.Ch(Caller) },
    });

    public async Task UntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition()) await Task.Delay(5, limit.Token);
    }

    public bool Requested(string pattern) => Fake.Matching(pattern).Count > 0;

    /// <summary>The patient hangs up; the call's record once the call is over.</summary>
    public async Task<CallRecord> HangUpAsync()
    {
        Call.Deliver(Events.Hangup(Caller));
        await _session.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        return (await _store.RecordAsync(Caller))!;
    }

    public async ValueTask DisposeAsync()
    {
        await _queues.DisposeAsync();
        await _store.DisposeAsync();
    }

    /// <summary>The reception queue, scripted: accueil-1 answers on leg-1, bridged with the patient in bridge-1.</summary>
    internal sealed class AnsweringReception : IStepExecutor
    {
        public int Runs { get; private set; }

        public bool CanRun(PlanStep step) => step is Queue;

        public Task<StepOutcome> RunAsync(CallContext call, PlanStep step, CancellationToken ct)
        {
            Runs++;
            var leg = Runs == 1 ? Secretary : $"{Secretary}-{Runs}";
            call.Add(leg, LegKind.PhoneLeg, "accueil-1");
            call.Add(Bridge, LegKind.Bridge);
            return Task.FromResult<StepOutcome>(new StepOutcome.Connected(leg, "accueil-1", CallOutcomes.Answered));
        }
    }

    /// <summary>The engine's hand-over of legs, recorded.</summary>
    internal sealed class RecordingHandover : ILegHandover
    {
        public List<string> Released { get; } = [];

        public bool Release(string legId, string toCall)
        {
            Released.Add($"{legId}->{toCall}");
            return true;
        }
    }
}
