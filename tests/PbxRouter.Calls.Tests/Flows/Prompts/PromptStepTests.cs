using PbxRouter.Ari.Events;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Flows.Prompts;
using PbxRouter.Calls.Runtime;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Tests.Flows.Prompts;

[TestFixture]
public sealed class PromptStepTests
{
    private static readonly PlayGreeting Greeting = new("tilleuls-bonjour", "Bonjour", EarlyMedia: true, "open: greet the caller");
    private static readonly Queue Reception = new("tilleuls", ["accueil-1"], QueueStrategy.RingAll, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(45), 3,
        null, "default", "9", false, "open");
    private static readonly Escalate Doctors = new([new EscalationContact("Dr Martin", "+33612345678", TimeSpan.FromSeconds(25))], "1",
        TimeSpan.FromSeconds(25), "urgent");

    [Test]
    public async Task Greeting_UrgentKey_StopsTheGreetingAndSwitchesToTheUrgentSteps()
    {
        await using var t = TestCall.Planned(new CallPlan
        {
            PracticeId = "tilleuls", PracticeState = PracticeState.Open, Reason = "test", Steps = [Greeting, Reception], UrgentSteps = [Doctors],
        });
        t.Fake.On(@"^POST channels/patient-1/play/", _ => t.Call.Deliver(Events.Dtmf(TestCall.PatientId, "9")));

        var result = await new PromptStep(new EngineOptions()).RunAsync(t.Call, Greeting, CancellationToken.None);

        Assert.That(result, Is.InstanceOf<StepOutcome.Urgent>());
        var playbackId = Events.PlaybackIdOf(t.Fake.Matching(@"^POST channels/patient-1/play/").Single());
        Assert.That(t.Fake.Matching($"^DELETE playbacks/{playbackId}"), Has.Count.EqualTo(1), "the rest of the greeting is not played");
    }

    [Test]
    public async Task Greeting_OtherKeys_DoNotStopIt_AndStayForTheQueue()
    {
        await using var t = TestCall.Planned(new CallPlan
        {
            PracticeId = "tilleuls", PracticeState = PracticeState.Open, Reason = "test", Steps = [Greeting, Reception], UrgentSteps = [Doctors],
        });
        t.Fake.On(@"^POST channels/patient-1/play/", line =>
        {
            t.Call.Deliver(Events.Dtmf(TestCall.PatientId, "1"));
            t.Call.Deliver(Events.PlaybackFinished(TestCall.PatientId, Events.PlaybackIdOf(line)));
        });

        var result = await new PromptStep(new EngineOptions()).RunAsync(t.Call, Greeting, CancellationToken.None);

        Assert.That(result, Is.InstanceOf<StepOutcome.Next>());
        Assert.That(await t.Call.NextEventAsync(TimeSpan.Zero, CancellationToken.None), Is.InstanceOf<ChannelDtmfReceived>().With.Property("Digit").EqualTo("1"));
    }

    [Test]
    public async Task Greeting_PlanWithoutUrgentSteps_IgnoresTheUrgentKey()
    {
        await using var t = TestCall.With(Greeting, Reception);
        t.Fake.On(@"^POST channels/patient-1/play/", line =>
        {
            t.Call.Deliver(Events.Dtmf(TestCall.PatientId, "9"));
            t.Call.Deliver(Events.PlaybackFinished(TestCall.PatientId, Events.PlaybackIdOf(line)));
        });

        var result = await new PromptStep(new EngineOptions()).RunAsync(t.Call, Greeting, CancellationToken.None);

        Assert.That(result, Is.InstanceOf<StepOutcome.Next>());
    }
}
