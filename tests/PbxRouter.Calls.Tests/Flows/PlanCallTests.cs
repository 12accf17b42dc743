using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Ari;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Flows.Escalation;
using PbxRouter.Calls.Flows.Prompts;
using PbxRouter.Calls.Flows.Reception;
using PbxRouter.Calls.Flows.Secretariat;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Runtime;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Flows;

[TestFixture]
public sealed class PlanCallTests
{
    [Test]
    public async Task Run_AStepNoExecutorCanRun_IsSkippedAndTheCallTakesTheFallbackRoute()
    {
        await using var test = new PlanCallTest([new PbxRouter.Routing.Voicemail("tilleuls", false, [], "closed"), Hangup.AtEndOfPlan], []);

        var record = await test.RunAsync();

        Assert.That(test.Fake.Matching("^POST channels/caller-1/continue"), Has.Count.EqualTo(1));
        Assert.That(test.Fake.Matching("^POST channels/caller-1/continue").Single(), Does.Contain("context=fallback").And.Contain("extension=+33145000000"));
        Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Fallback));
        Assert.That(record.Steps.Select(s => s.Kind), Is.EqualTo(new[] { CallStepKinds.Entered, CallStepKinds.Skipped, CallStepKinds.Fallback }));
    }

    [Test]
    public async Task Run_AHangUpOfTheRules_HangsUpWithoutTheFallbackRoute()
    {
        await using var test = new PlanCallTest([new Hangup("end of plan, as the rules say: hang up")], []);

        var record = await test.RunAsync();

        Assert.That(test.Fake.Matching("continue"), Is.Empty, "only the compiler's end-of-plan step takes the fallback route");
        Assert.That(test.Fake.Matching("^DELETE channels/caller-1"), Has.Count.EqualTo(1));
        Assert.That((record.Outcome, record.HungUpBy), Is.EqualTo((CallOutcomes.HungUp, "engine")));
    }

    [Test]
    public async Task Run_WhenAStepReturnsUrgent_RunsTheUrgentStepsInstead()
    {
        var queue = new Queue("tilleuls", ["accueil-1"], QueueStrategy.RingAll, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(45), 3, null,
            "default", "9", false, "open");
        var escalate = new Escalate([new EscalationContact("Dr Martin", "+33612345678", TimeSpan.FromSeconds(25))], "1", TimeSpan.FromSeconds(25), "urgent");
        var executor = new ScriptedExecutor(step => step is Queue ? new StepOutcome.Urgent() : new StepOutcome.Connected("leg-1", "Dr Martin", CallOutcomes.Answered));
        await using var test = new PlanCallTest([queue, new Overflow([], "open"), Hangup.AtEndOfPlan], [escalate, Hangup.AtEndOfPlan], executor);

        var record = await test.RunAsync(hangUpWhenConnected: true);

        Assert.That(executor.Ran, Is.EqualTo(new[] { "Queue", "Escalate" }), "the overflow of the normal plan is not run");
        Assert.That(record.HungUpBy, Is.EqualTo("caller"));
    }

    [Test]
    public async Task UrgentKeyDuringTheGreeting_Escalates()
    {
        var greeting = new PlayGreeting("tilleuls-bonjour", "Bonjour", EarlyMedia: true, "open: greet the caller");
        var queue = new Queue("tilleuls", ["accueil-1"], QueueStrategy.RingAll, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(45), 3, null,
            "default", "9", false, "open");
        var overflow = new Overflow([new OverflowTarget("servitel", "Servitel", "+33567000000", null, true, false, new Dictionary<string, string>())], "open");
        var escalate = new Escalate([new EscalationContact("Dr Martin", "+33612345678", TimeSpan.FromSeconds(25))], "1", TimeSpan.FromSeconds(25), "urgent");
        await using var call = new PlanCallHarness([greeting, queue, overflow, Hangup.AtEndOfPlan], [escalate, Hangup.AtEndOfPlan],
            new PromptStep(new EngineOptions()), new QueueStep(new QueueBoard(TimeProvider.System)),
            new OverflowStep(new EngineOptions(), new ProvisioningOptions()), new EscalateExecutor(new EscalationOptions()));
        // The patient presses 9 while the greeting plays; Dr Martin's mobile answers and presses 1 at the screening prompt.
        call.Fake.On(@"^POST channels/caller-1/play/.*tilleuls-bonjour", _ => call.Call.Deliver(Events.Dtmf(PlanCallHarness.CallerId, "9")));
        call.Fake.On("^POST channels/create", line => call.Call.Deliver(new StasisStart
            { Type = "StasisStart", Channel = Events.Ch(Events.Param(line, "channelId"), "Down") }));
        call.Fake.On("^POST channels/[^/]+/dial", line => call.Call.Deliver(Events.Dial(Events.ChannelOf(line), "ANSWER")));
        call.Fake.On(@"^POST channels/[^/]+-mobile-\d+/play/", line => call.Call.Deliver(Events.Dtmf(Events.ChannelOf(line), "1")));

        var record = await call.RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(record.Steps.Select(s => (s.Kind, s.Target)), Is.EqualTo(new (string, string?)[]
            {
                (CallStepKinds.Entered, "tilleuls"), (CallStepKinds.Greeting, "tilleuls-bonjour"), (CallStepKinds.Escalated, "9"),
                (CallStepKinds.Escalated, "Dr Martin"), (CallStepKinds.Answered, "Dr Martin"), (CallStepKinds.HungUp, "caller"),
            }), string.Join(" > ", record.Steps.Select(s => $"{s.Kind} {s.Target} ({s.Detail})")));
            Assert.That((record.Outcome, record.AnsweredBy), Is.EqualTo((CallOutcomes.Answered, "Dr Martin")));
            Assert.That(call.Fake.Matching("^GET endpoints/"), Is.Empty, "the queue never ran");
            Assert.That(call.Fake.Matching(@"^POST channels/create\?endpoint=PJSIP/\+33567000000"), Is.Empty, "nor the overflow");
        });
    }

    [Test]
    public async Task Run_WhenTheCallerIsGoneDuringAStep_RecordsAnAbandonedCall()
    {
        var executor = new ScriptedExecutor(_ => new StepOutcome.CallerGone());
        await using var test = new PlanCallTest([new Overflow([], "lunch"), Hangup.AtEndOfPlan], [], executor);

        var record = await test.RunAsync();

        Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Abandoned));
        Assert.That(record.Steps.Last().Kind, Is.EqualTo(CallStepKinds.Abandoned));
        Assert.That(test.Fake.Matching("continue"), Is.Empty);
    }

    [Test]
    public async Task Run_WithheldCaller_KeepsTheNumberMarkedWithheldAndMakesThePatientsChannelWithheld()
    {
        await using var test = new PlanCallTest([Hangup.AtEndOfPlan], [], new CallerId { Number = "+33611223344", Name = "Patient" },
            "prohib_not_screened", "+33145000000", null);

        var record = await test.RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(record.CallerNumber, Is.EqualTo("+33611223344"), "the number from P-Asserted-Identity is kept");
            Assert.That(record.CallerWithheld, Is.True);
            Assert.That(record.Steps[0].Detail, Does.Contain("caller withheld: not shown onward"));
            Assert.That(test.Fake.Matching(@"^POST channels/caller-1/variable\?variable=CALLERID\(pres\)&value=prohib$"), Has.Count.EqualTo(1));
            Assert.That(test.Fake.Matching(@"variable=CALLERID\(num\)"), Is.Empty, "the real number stays for P-Asserted-Identity (with Privacy: id)");
        });
    }

    [Test]
    public async Task Run_CallerIdThatIsNotANumber_IsEmptiedOnThePatientsChannelBeforeAnyLeg()
    {
        await using var test = new PlanCallTest([Hangup.AtEndOfPlan], [], new CallerId { Number = "\r\nX-Forged:1" }, "allowed_not_screened",
            "+33145000000", null);

        var record = await test.RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(record.CallerWithheld, Is.False, "not withheld by the caller");
            Assert.That(record.Steps[0].Detail, Does.Contain("caller ID not a phone number"));
            var requests = test.Fake.Requests.ToList();
            var emptied = requests.FindIndex(r => r == "POST channels/caller-1/variable?variable=CALLERID(num)&value=");
            Assert.That(emptied, Is.GreaterThanOrEqualTo(0), string.Join("\n", requests));
            Assert.That(emptied, Is.LessThan(requests.FindIndex(r => r.Contains("/continue", StringComparison.Ordinal))));
        });
    }

    [Test]
    public async Task Run_CalledStringThatIsNotANumber_NamesWhatWasDialledAndFallsBackOnTheUnknownExtension()
    {
        await using var test = new PlanCallTest([Hangup.AtEndOfPlan], [], new CallerId { Number = "+33611223344" }, "allowed_not_screened",
            "", "%2B33145000000%2Cevil");

        var record = await test.RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(record.CalledNumber, Is.Empty);
            Assert.That(record.Steps[0].Detail, Does.Contain("the trunk dialled '%2B33145000000%2Cevil', which is not a phone number"));
            Assert.That(test.Fake.Matching("^POST channels/caller-1/continue").Single(), Does.Contain("extension=unknown"), "extensions.conf [fallback] unknown");
        });
    }

    /// <summary>Answers each step with a scripted result and remembers which steps it ran.</summary>
    private sealed class ScriptedExecutor(Func<PlanStep, StepOutcome> result) : IStepExecutor
    {
        public List<string> Ran { get; } = [];

        public bool CanRun(PlanStep step) => step is Queue or Overflow or Escalate;

        public Task<StepOutcome> RunAsync(CallContext call, PlanStep step, CancellationToken ct)
        {
            Ran.Add(step.GetType().Name);
            return Task.FromResult(result(step));
        }
    }

    private sealed class PlanCallTest : IAsyncDisposable
    {
        private readonly CallEventQueues _queues = new((_, _) => ValueTask.CompletedTask, NullLogger.Instance);
        private readonly TempStore _store = new();
        private readonly CallContext _call;
        private readonly PlanCall _session;

        public PlanCallTest(IReadOnlyList<PlanStep> steps, IReadOnlyList<PlanStep> urgent, params IStepExecutor[] executors)
            : this(steps, urgent, new CallerId { Number = "+33611223344" }, null, "+33145000000", null, executors)
        {
        }

        /// <param name="presentation">The caller's CALLERID(pres), as extensions.conf passes it to Stasis.</param>
        /// <param name="dialled">What the trunk dialled when <paramref name="called"/> is empty (not a number).</param>
        public PlanCallTest(IReadOnlyList<PlanStep> steps, IReadOnlyList<PlanStep> urgent, CallerId callerId, string? presentation, string called,
            string? dialled, params IStepExecutor[] executors)
        {
            var plan = new CallPlan { PracticeId = "tilleuls", PracticeState = PracticeState.Open, Reason = "test", Steps = steps, UrgentSteps = urgent };
            var caller = new Channel { Id = "caller-1", State = "Ring", Caller = callerId };
            _call = new CallContext(new CallServices(Fake.Client(), _queues, TimeProvider.System, NullLogger.Instance), caller, plan, null, _store.Records)
            {
                CalledNumber = called, Dialled = dialled, Patient = PatientIdentity.Of(callerId, presentation),
            };
            var trace = new CallTrace("caller-1", called, callerId.Number, TimeProvider.System.GetUtcNow());
            _session = new PlanCall(_call, trace, new StepExecutors(executors), new EngineOptions(), 1);
        }

        public FakeAri Fake { get; } = new();

        public async Task<CallRecord> RunAsync(bool hangUpWhenConnected = false)
        {
            _session.Start();
            if (hangUpWhenConnected)
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                while (!_session.Trace.Steps.Any(s => s.StartsWith("connected", StringComparison.Ordinal))) await Task.Delay(10, limit.Token);
                _call.Deliver(Events.Hangup("caller-1"));
            }
            await _session.Completion.WaitAsync(TimeSpan.FromSeconds(10));
            return (await _store.RecordAsync("caller-1"))!;
        }

        public async ValueTask DisposeAsync()
        {
            await _queues.DisposeAsync();
            await _store.DisposeAsync();
        }
    }
}
