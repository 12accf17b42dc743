using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Flows.Secretariat;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;
using PbxRouter.Store;
using static PbxRouter.Calls.Tests.Support.PlanCallHarness;

namespace PbxRouter.Calls.Tests.Flows;

/// <summary>ARI answering 404/409/422/500 or not at all during a patient's call: each has a defined outcome and a log line,
/// and the call still ends with the secretariat, the fallback route, or (ARI failing throughout) an engine hang-up.</summary>
[TestFixture]
public sealed class AriFaultTests
{
    private const string ServitelCreate = @"^POST channels/create\?.*endpoint=PJSIP/\+33567000000";
    private static readonly OverflowTarget Servitel = new("servitel", "Servitel", "+33567000000", null, true, false, new Dictionary<string, string>());
    private static readonly OverflowTarget Backup = new("backup", "Backup", "+33567000099", null, true, false, new Dictionary<string, string>());

    [TestCase(404, "(404)")]
    [TestCase(409, "(409)")]
    [TestCase(422, "(422)")]
    [TestCase(500, "(500)")]
    [TestCase(0, "no answer within 10 s")]
    public async Task Overflow_WhenCreatingTheLegFails_TheNextSecretariatTakesTheCall(int status, string detail)
    {
        await using var call = Overflowing();
        call.Fake.Fault = line => Regex.IsMatch(line, ServitelCreate) ? status : null;
        SecretariatsAnswer(call);

        var record = await call.RunAsync();

        Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Overflowed), Describe(record));
        Assert.That(record.AnsweredBy, Is.EqualTo("backup"), Describe(record));
        Assert.That(record.Steps.Single(s => s.Kind == CallStepKinds.Unanswered).Detail, Does.Contain(detail), Describe(record));
        Assert.That(call.Fake.Matching(ServitelCreate), Has.Count.EqualTo(1), "a create is never sent twice");
        if (status is 0 or 500) Assert.That(call.Log.At(LogLevel.Warning), Has.Some.Contains("not retried"));
    }

    [Test]
    public async Task Overflow_WhenEveryCreateAnswers500_TheFallbackRouteTakesTheCall()
    {
        await using var call = Overflowing();
        call.Fake.Fault = line => line.StartsWith("POST channels/create", StringComparison.Ordinal) ? 500 : null;

        var record = await call.RunAsync();

        Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Fallback), Describe(record));
        Assert.That(record.Steps.Select(s => s.Kind), Is.EqualTo(new[]
        {
            CallStepKinds.Entered, CallStepKinds.Ringing, CallStepKinds.Unanswered, CallStepKinds.Ringing, CallStepKinds.Unanswered,
            CallStepKinds.Fallback,
        }), Describe(record));
        Assert.That(call.Fake.Matching("^POST channels/caller-1/continue"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Fallback_WhenContinueKeepsAnswering500_IsRetriedThenTheCallerIsHungUpAndAnErrorLogged()
    {
        await using var call = new PlanCallHarness([Hangup.AtEndOfPlan]);
        call.Fake.Fault = line => line.StartsWith("POST channels/caller-1/continue", StringComparison.Ordinal) ? 500 : null;

        var record = await call.RunAsync();

        Assert.That(call.Fake.Matching("^POST channels/caller-1/continue"), Has.Count.EqualTo(4), "1 + 3 retries with backoff");
        Assert.That(call.Fake.Matching("^DELETE channels/caller-1"), Has.Count.EqualTo(1), "then the caller is hung up");
        Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Failed), Describe(record));
        Assert.That(record.HungUpBy, Is.EqualTo("engine"));
        Assert.That(record.Steps.Last().Kind, Is.EqualTo(CallStepKinds.Error), Describe(record));
        Assert.That(call.Log.At(LogLevel.Error), Has.Some.Contains("fallback route could not be taken"));
        Assert.That(call.Log.At(LogLevel.Warning).Count(m => m.Contains("retry")), Is.EqualTo(3));
    }

    [Test]
    public async Task Fallback_WhenContinueGetsNoAnswerOnce_IsRetriedAndTheCallTakesTheFallbackRoute()
    {
        await using var call = new PlanCallHarness([Hangup.AtEndOfPlan]);
        var attempts = 0;
        call.Fake.Fault = line => line.StartsWith("POST channels/caller-1/continue", StringComparison.Ordinal) && ++attempts == 1 ? 0 : null;

        var record = await call.RunAsync();

        Assert.That(attempts, Is.EqualTo(2));
        Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Fallback), Describe(record));
        Assert.That(call.Fake.Matching("^DELETE channels/caller-1"), Is.Empty);
    }

    [TestCase(404)]
    [TestCase(409)]
    public async Task Fallback_WhenTheCallerIsAlreadyGone_IsNotRetriedAndTheCallIsAbandoned(int status)
    {
        await using var call = new PlanCallHarness([Hangup.AtEndOfPlan]);
        call.Fake.Fault = line => line.StartsWith("POST channels/caller-1/continue", StringComparison.Ordinal) ? status : null;

        var record = await call.RunAsync();

        Assert.That(call.Fake.Matching("^POST channels/caller-1/continue"), Has.Count.EqualTo(1));
        Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Abandoned), Describe(record));
        Assert.That(call.Fake.Matching("^DELETE channels/caller-1"), Is.Empty);
    }

    private static PlanCallHarness Overflowing() =>
        new([new Overflow([Servitel, Backup], "open"), Hangup.AtEndOfPlan], new OverflowStep(new EngineOptions(), new ProvisioningOptions()));

    /// <summary>Asterisk's side: a created leg enters Stasis, a dialled leg answers.</summary>
    private static void SecretariatsAnswer(PlanCallHarness call)
    {
        call.Fake.On("^POST channels/create", line => call.Call.Deliver(new StasisStart
            { Type = "StasisStart", Channel = Events.Ch(Events.Param(line, "channelId"), "Down") }));
        call.Fake.On("^POST channels/[^/]+/dial", line => call.Call.Deliver(Events.Dial(Events.ChannelOf(line), "ANSWER")));
    }

    private static string Describe(CallRecord r) =>
        $"outcome {r.Outcome}; steps: " + string.Join(" > ", r.Steps.Select(s => $"{s.Kind} {s.Target} ({s.Detail})"));
}
