using PbxRouter.Ari.Events;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Flows.Secretariat;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Tests.Flows.Secretariat;

[TestFixture]
public sealed class OverflowStepTests
{
    private static readonly OverflowTarget Servitel = new("servitel", "Servitel", "+33567000000", "tilleuls-ovh", true, false,
        new Dictionary<string, string> { ["X-Practice"] = "tilleuls" });
    private static readonly OverflowTarget Backup = new("backup", null, "sip:tilleuls@backup.example", null, false, true, new Dictionary<string, string>());

    [Test]
    public async Task Run_WhenTheFirstSecretariatIsBusy_DialsTheNextWithThePatientAndPracticeNumbers()
    {
        await using var test = TestCall.With();
        var statuses = new Queue<string>(["BUSY", "ANSWER"]);
        Scripted(test, () => statuses.Dequeue());
        var step = new OverflowStep(new EngineOptions(), new ProvisioningOptions { GeneratedConfigPath = "/tmp/x.conf" });

        var result = await step.RunAsync(test.Call, new Overflow([Servitel, Backup], "lunch"), CancellationToken.None);

        Assert.That(result, Is.InstanceOf<StepOutcome.Connected>());
        var creates = test.Fake.Matching("^POST channels/create");
        Assert.That(creates[0], Does.Contain("endpoint=PJSIP/+33567000000@trunk.tilleuls-ovh"), "through the secretariat's trunk");
        Assert.That(creates[1], Does.Contain("endpoint=PJSIP/trunk/sip:tilleuls@backup.example"), "a URI through the default trunk");
        var first = VariablesOf(test.Fake.Bodies[creates[0]]);
        Assert.That(first["CONNECTEDLINE(num)"], Is.EqualTo("+33611223344"), "the patient's number");
        Assert.That(first["REDIRECTING(from-num)"], Is.EqualTo("+33145000000"), "the practice's number, for Diversion");
        Assert.That(first["PJSIP_HEADER(add,X-Practice)"], Is.EqualTo("tilleuls"));
        var second = VariablesOf(test.Fake.Bodies[creates[1]]);
        Assert.That(second.Keys, Has.None.StartsWith("REDIRECTING").And.Contains("PJSIP_HEADER(add,History-Info)"), "diversion off, history-info on");
        Assert.That(result, Is.EqualTo(new StepOutcome.Connected(Events.Param(creates[1], "channelId"), "backup", "overflowed")));
    }

    [Test]
    public async Task Run_WithheldPatient_ReachesTheSecretariatWithheld()
    {
        await using var test = TestCall.Withheld();
        Scripted(test, () => "ANSWER");
        var step = new OverflowStep(new EngineOptions(), new ProvisioningOptions());

        await step.RunAsync(test.Call, new Overflow([Servitel], "lunch"), CancellationToken.None);

        var variables = VariablesOf(test.Fake.Bodies[test.Fake.Matching("^POST channels/create").Single()]);
        Assert.Multiple(() =>
        {
            Assert.That(variables["CONNECTEDLINE(pres)"], Is.EqualTo("prohib"), "From anonymous, P-Asserted-Identity with Privacy: id");
            Assert.That(variables["CONNECTEDLINE(num)"], Is.EqualTo(TestCall.PatientNumber), "the number only travels marked private");
            Assert.That(variables["CONNECTEDLINE(name)"], Is.Empty, "never the number as a display name");
            Assert.That(variables["REDIRECTING(from-num)"], Is.EqualTo("+33145000000"), "the practice's number still in Diversion");
        });
    }

    [Test]
    public async Task Run_WhenNobodyAnswers_ReturnsNextAndDestroysTheBridge()
    {
        await using var test = TestCall.With();
        Scripted(test, () => "NOANSWER");
        var step = new OverflowStep(new EngineOptions(), new ProvisioningOptions());

        var result = await step.RunAsync(test.Call, new Overflow([Servitel], "lunch"), CancellationToken.None);

        Assert.That(result, Is.InstanceOf<StepOutcome.Next>());
        Assert.That(test.Fake.Matching("^POST channels/create").Single(), Does.Contain("@trunk&"), "not provisioned: the static trunk");
        Assert.That(test.Fake.Matching("^DELETE bridges/"), Is.Not.Empty);
    }

    [Test]
    public async Task Run_UrgentKeyWhileTheSecretariatRings_HangsUpItsLegAndSwitchesToTheUrgentSteps()
    {
        var overflow = new Overflow([Servitel, Backup], "open");
        await using var test = TestCall.Planned(new CallPlan
        {
            PracticeId = "tilleuls", PracticeState = PracticeState.Open, Reason = "test",
            Steps = [new Queue("tilleuls", ["accueil-1"], QueueStrategy.RingAll, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(45), 3, null, "default", "9",
                false, "open"), overflow],
            UrgentSteps = [new Escalate([new EscalationContact("Dr Martin", "+33612345678", TimeSpan.FromSeconds(25))], "1", TimeSpan.FromSeconds(25), "urgent")],
        });
        test.Fake.On("^POST channels/create", line => test.Call.Deliver(new StasisStart
            { Type = "StasisStart", Channel = Events.Ch(Events.Param(line, "channelId"), "Down") }));
        test.Fake.On("^POST channels/[^/]+/dial", _ => test.Call.Deliver(Events.Dtmf(TestCall.PatientId, "9")));
        var step = new OverflowStep(new EngineOptions(), new ProvisioningOptions());

        var result = await step.RunAsync(test.Call, overflow, CancellationToken.None);

        Assert.That(result, Is.InstanceOf<StepOutcome.Urgent>());
        var leg = Events.Param(test.Fake.Matching("^POST channels/create").Single(), "channelId");
        Assert.Multiple(() =>
        {
            Assert.That(test.Fake.Matching($"^DELETE channels/{leg}"), Has.Count.EqualTo(1), "Servitel stops ringing");
            Assert.That(test.Fake.Matching("^DELETE bridges/"), Has.Count.EqualTo(1));
            Assert.That(test.Fake.Matching(@"endpoint=PJSIP/sip:tilleuls@backup"), Is.Empty, "the next secretariat is not rung");
            Assert.That(test.Call.Legs.All, Is.Empty);
        });
    }

    [Test]
    public async Task Run_DialsWithAsteriskTimeoutASecondAfterTheRingTime()
    {
        await using var test = TestCall.With();
        Scripted(test, () => "NOANSWER");

        await new OverflowStep(new EngineOptions { OverflowRingTime = TimeSpan.FromSeconds(25) }, new ProvisioningOptions())
            .RunAsync(test.Call, new Overflow([Servitel], "lunch"), CancellationToken.None);

        Assert.That(test.Fake.Matching(@"^POST channels/[^/]+/dial\?timeout=26$"), Has.Count.EqualTo(1), "timeout=0 would ring forever if the engine died");
    }

    [Test]
    public async Task Forward_DialsTheNumberAndCountsAsAnswered()
    {
        await using var test = TestCall.With();
        Scripted(test, () => "ANSWER");
        var forward = new ForwardStep(new OverflowStep(new EngineOptions(), new ProvisioningOptions()));

        var result = await forward.RunAsync(test.Call, new Forward("+33612345678", "mode"), CancellationToken.None);

        Assert.That(result, Is.InstanceOf<StepOutcome.Connected>().With.Property("Outcome").EqualTo("answered"));
        Assert.That(test.Fake.Matching("^POST channels/create").Single(), Does.Contain("endpoint=PJSIP/+33612345678@trunk"));
    }

    private static Dictionary<string, string> VariablesOf(string body) =>
        System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    /// <summary>Asterisk's side: a created leg enters Stasis; a dialled leg ends with the next scripted status.</summary>
    private static void Scripted(TestCall test, Func<string> status)
    {
        test.Fake.On("^POST channels/create", line => test.Call.Deliver(new StasisStart
            { Type = "StasisStart", Channel = Events.Ch(Events.Param(line, "channelId"), "Down") }));
        test.Fake.On("^POST channels/[^/]+/dial", line => test.Call.Deliver(Events.Dial(Events.ChannelOf(line), status())));
    }
}
