using Microsoft.Extensions.Time.Testing;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Flows.Escalation;
using PbxRouter.Calls.Runtime;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;
using PbxRouter.Store;
using static PbxRouter.Calls.Tests.Support.Events;

namespace PbxRouter.Calls.Tests.Flows.Escalation;

public sealed class EscalateExecutorTests
{
    private static readonly EscalationContact Martin = new("Dr Martin", "+33612345678", TimeSpan.FromSeconds(5));
    private static readonly EscalationContact Durand = new("Dr Durand", "+33698765432", TimeSpan.FromSeconds(5));
    private static readonly Escalate Step = new([Martin, Durand], "1", TimeSpan.FromSeconds(5), "test");

    private readonly FakeTimeProvider _time = new(FakeClock.Start);

    /// <summary>Runs the escalation on the fake clock (ring times, the 15 s screening time).</summary>
    private Task<StepOutcome> RunAsync(TestCall t) => _time.RunAsync(new EscalateExecutor(new EscalationOptions()).RunAsync(t.Call, Step, CancellationToken.None));

    /// <summary>Asterisk's side: a created mobile leg enters Stasis.</summary>
    private static void LegsEnterStasis(TestCall t) =>
        t.Fake.On("^POST channels/create", line => t.Call.Deliver(new PbxRouter.Ari.Events.StasisStart
            { Type = "StasisStart", Channel = Ch(Param(line, "channelId"), "Down") }));

    /// <summary>Mobiles whose number is in <paramref name="answering"/> answer at once when dialled; the others are busy.</summary>
    private static void MobilesAnswer(TestCall t, params string[] answering)
    {
        LegsEnterStasis(t);
        t.Fake.On(@"^POST channels/[^/]+-mobile-\d+/dial", line =>
        {
            var leg = ChannelOf(line);
            var number = t.Fake.Requests.First(r => r.StartsWith("POST channels/create", StringComparison.Ordinal) && r.Contains($"channelId={leg}"));
            var answers = answering.Any(n => number.Contains($"PJSIP/{n}@"));
            t.Call.Deliver(Dial(leg, answers ? "ANSWER" : "BUSY"));
        });
    }

    /// <summary>The mobile dialled as <paramref name="number"/> presses <paramref name="digit"/> when it hears the screening prompt.</summary>
    private static void MobilePresses(TestCall t, string number, string digit)
    {
        t.Fake.On(@"^POST channels/[^/]+-mobile-\d+/play/", line =>
        {
            var leg = ChannelOf(line);
            if (t.Fake.Requests.Any(r => r.StartsWith("POST channels/create", StringComparison.Ordinal) && r.Contains($"channelId={leg}") && r.Contains($"PJSIP/{number}@")))
                t.Call.Deliver(Dtmf(leg, digit));
        });
    }

    [Test]
    public async Task Run_MobilePressesScreeningKey_BridgesPatientWithThatMobile()
    {
        await using var t = TestCall.On(_time, Step);
        MobilesAnswer(t, Martin.Number);
        MobilePresses(t, Martin.Number, "1");

        var result = await RunAsync(t);

        var connected = (StepOutcome.Connected)result;
        var leg = connected.Leg;
        Assert.Multiple(() =>
        {
            Assert.That(leg, Does.StartWith("patient-1-mobile-"));
            Assert.That(connected.AnsweredBy, Is.EqualTo("Dr Martin"));
            Assert.That(connected.Outcome, Is.EqualTo(CallOutcomes.Answered));
            Assert.That(t.Call.Legs.Find(leg)?.Kind, Is.EqualTo(LegKind.MobileLeg));
            Assert.That(t.Fake.Matching($@"^POST bridges/[^/]+/addChannel\?channel=patient-1,{leg}"), Is.Not.Empty, string.Join("\n", t.Fake.Requests));
            Assert.That(t.Fake.Matching(@"^POST channels/create\?endpoint=PJSIP/\+33698765432@"), Is.Empty, "Dr Durand never rung");
        });
    }

    [Test]
    public async Task Run_MobileDial_ShowsThePatientsNumberAndGoesThroughTheTrunk()
    {
        await using var t = TestCall.On(_time, Step);
        MobilesAnswer(t, Martin.Number);
        MobilePresses(t, Martin.Number, "1");

        await RunAsync(t);

        var create = t.Fake.Matching(@"^POST channels/create\?endpoint=PJSIP/\+33612345678@trunk&app=pbxrouter&appArgs=leg,escalation").Single();
        Assert.Multiple(() =>
        {
            var variables = System.Text.Json.JsonDocument.Parse(t.Fake.Bodies[create]).RootElement.GetProperty("variables");
            Assert.That(variables.GetProperty("CONNECTEDLINE(num)").GetString(), Is.EqualTo(TestCall.PatientNumber));
            Assert.That(t.Fake.Matching(@"^POST channels/patient-1-mobile-\d+/dial\?timeout=6$"), Is.Not.Empty);
        });
    }

    [Test]
    public async Task Run_WithheldPatient_TheMobileShowsNoNumber()
    {
        await using var t = TestCall.Withheld(Step);
        MobilesAnswer(t, Martin.Number);
        MobilePresses(t, Martin.Number, "1");

        await RunAsync(t);

        var create = t.Fake.Matching(@"^POST channels/create\?endpoint=PJSIP/\+33612345678@").First();
        var variables = System.Text.Json.JsonDocument.Parse(t.Fake.Bodies[create]).RootElement.GetProperty("variables");
        Assert.Multiple(() =>
        {
            Assert.That(variables.GetProperty("CONNECTEDLINE(pres)").GetString(), Is.EqualTo("prohib"));
            Assert.That(variables.GetProperty("CONNECTEDLINE(name)").GetString(), Does.StartWith("URGENT"), "the mobile still sees it is urgent");
            Assert.That(variables.GetProperty("PJSIP_HEADER(add,X-PbxRouter-Urgent)").GetString(), Is.EqualTo("tilleuls"));
        });
    }

    [Test]
    public async Task Run_MobileAnswersWithoutPressingTheKey_HangsItUpAndRingsTheNextContact()
    {
        await using var t = TestCall.On(_time, Step);
        MobilesAnswer(t, Martin.Number, Durand.Number); // Dr Martin's voicemail answers but presses nothing
        MobilePresses(t, Durand.Number, "1");

        var result = await RunAsync(t);

        Assert.That(result, Is.InstanceOf<StepOutcome.Connected>());
        var requests = t.Fake.Requests.ToList();
        var martinLeg = Param(requests.First(r => r.Contains("PJSIP/+33612345678@")), "channelId");
        var hangupMartin = requests.FindIndex(r => r.StartsWith($"DELETE channels/{martinLeg}?", StringComparison.Ordinal));
        var createDurand = requests.FindIndex(r => r.Contains("PJSIP/+33698765432@"));
        Assert.Multiple(() =>
        {
            Assert.That(hangupMartin, Is.GreaterThanOrEqualTo(0), "Dr Martin's leg hung up: " + martinLeg);
            Assert.That(createDurand, Is.GreaterThan(hangupMartin), "Dr Durand rung after");
            Assert.That(((StepOutcome.Connected)result).AnsweredBy, Is.EqualTo("Dr Durand"));
        });
    }

    [Test]
    public async Task Run_WrongKeyOnTheMobile_DoesNotConnect()
    {
        await using var t = TestCall.On(_time, Step);
        MobilesAnswer(t, Martin.Number);
        MobilePresses(t, Martin.Number, "5");

        var result = await RunAsync(t);

        Assert.That(result, Is.InstanceOf<StepOutcome.Next>());
        Assert.That(t.Fake.Matching(@"addChannel"), Is.Empty);
    }

    [Test]
    public async Task Run_NoContactAccepts_ReturnsNextAndStopsTheMusic()
    {
        await using var t = TestCall.On(_time, Step).PlaybacksFinishAtOnce();
        MobilesAnswer(t); // both busy

        var result = await RunAsync(t);

        Assert.That(result, Is.InstanceOf<StepOutcome.Next>());
        Assert.Multiple(() =>
        {
            Assert.That(t.Fake.Matching(@"^POST channels/patient-1/play/.*media=sound:pbxrouter/urgence-attente"), Is.Not.Empty, "reassuring message");
            Assert.That(t.Fake.Matching(@"^POST channels/patient-1/moh"), Is.Not.Empty, "music after the message");
            Assert.That(t.Fake.Matching(@"^DELETE channels/patient-1/moh"), Is.Not.Empty, "music stopped for the next step");
            Assert.That(t.Fake.Matching(@"^POST channels/create"), Has.Exactly(2).Items);
        });
    }

    [Test]
    public async Task Run_PatientHangsUpWhileTheMobileRings_HangsUpTheMobile()
    {
        await using var t = TestCall.On(_time, Step);
        LegsEnterStasis(t);
        t.Fake.On(@"^POST channels/[^/]+-mobile-\d+/dial", _ => t.Call.Deliver(Hangup(TestCall.PatientId)));

        var result = await RunAsync(t);

        Assert.That(result, Is.InstanceOf<StepOutcome.CallerGone>());
        Assert.That(t.Fake.Matching(@"^DELETE channels/patient-1-mobile-\d+\?"), Is.Not.Empty);
        Assert.That(t.Fake.Matching(@"PJSIP/\+33698765432@"), Is.Empty);
    }

    [Test]
    public async Task Run_TrunkRefusesTheMobile_TriesTheNextContact()
    {
        await using var t = TestCall.On(_time, Step);
        t.Fake.Failures.Add((@"^POST channels/create\?endpoint=PJSIP/\+33612345678@", 500));
        MobilesAnswer(t, Durand.Number);
        MobilePresses(t, Durand.Number, "1");

        var result = await RunAsync(t);

        Assert.That(result, Is.InstanceOf<StepOutcome.Connected>().With.Property("AnsweredBy").EqualTo("Dr Durand"));
    }
}
