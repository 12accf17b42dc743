using PbxRouter.Calls.Flows.Reception;
using PbxRouter.Calls.Phones;
using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Routing;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Flows.PracticeCalls;

namespace PbxRouter.IntegrationTests.Transfers;

/// <summary>
/// Call pickup: while the reception queue rings accueil-1 (SIPp, registered, never answers), Dr Martin's phone dials *8
/// and takes the patient. Real Asterisk, SIPp as the patient and both phones. The reception queue rings for 20 s here
/// (instead of the tests' 4 s) so that a slow machine still dials the code while it rings.
/// </summary>
[TestFixture]
public sealed class PickupTests : PracticeFixture
{
    [Test]
    public async Task Pickup_WhileTheReceptionPhoneRings_ConnectsThePhoneThatDialledTheCode_AndTheRecordSaysPickedUp()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open, rules: LongRing(Asterisk));
        var reception = await practice.PhoneAsync("accueil-1", "phone-rings.xml");
        var patient = Sipp.Patient(Asterisk, "patient-stays-until-bye.xml", PracticeNumber, "+33640000201");
        await RingingAsync(practice);

        var picker = practice.Dial("dr-martin", PickupDecision.Code, holdMs: 3000);
        var results = await Sipp.AllSucceedAsync(patient, reception, picker);

        Assert.That(results[1].Received("CANCEL"), Is.Not.Null, "the reception phone stops ringing");
        Assert.That(results[0].Received("BYE"), Is.Not.Null, "the patient stays until Dr Martin hangs up");
        var record = await practice.RecordOfAsync("+33640000201");
        Assert.Multiple(() =>
        {
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Answered), Describe(record));
            Assert.That(record.AnsweredBy, Is.EqualTo("dr-martin"), Describe(record));
            Assert.That(record.Steps.Single(s => s.Kind == CallStepKinds.Answered).Detail, Does.Contain("picked up with *8 while accueil-1 rang"), Describe(record));
            Assert.That(record.Steps.Any(s => s.Kind == CallStepKinds.Ringing && s.Target == "accueil-1"), Describe(record));
            Assert.That(record.Steps.Any(s => s.Kind == CallStepKinds.Overflowed || s.Target == "servitel"), Is.False, "never overflowed: " + Describe(record));
            Assert.That(record.HungUpBy, Is.EqualTo("dr-martin"), Describe(record));
        });
    }

    [Test]
    public async Task Pickup_FromAnotherPracticesPhone_NeverTakesTheCall_WhichAPhoneOfItsOwnPracticeThenTakes()
    {
        Environment.SetEnvironmentVariable(ValPasswordVariable, ValPassword);
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open, rules: LongRing(Asterisk) + ValPractice);
        var reception = await practice.PhoneAsync("accueil-1", "phone-rings.xml");
        var patient = Sipp.Patient(Asterisk, "patient-stays-until-bye.xml", PracticeNumber, "+33640000202");
        await RingingAsync(practice);

        var stranger = await SippRun.Start("dial-val.accueil", "phone-call-refused.xml",
        [
            "-s", PickupDecision.Code, "-key", "phone", "val.accueil", "-au", "val.accueil", "-ap", ValPassword,
            "-i", "127.0.0.9", "-p", FreePorts.Udp("127.0.0.9").ToString(), $"127.0.0.1:{Asterisk.SipPort}",
        ], countsAsCall: true).WaitAsync();
        var strangerTrace = await practice.Engine.WaitForCallAsync(c => c.CalledNumber == PickupDecision.Code);
        Assert.That(practice.Engine.Service<QueueBoard>().Ringing.Now, Has.Count.EqualTo(1), "the Tilleuls' call still rings");
        var picker = practice.Dial("dr-martin", PickupDecision.Code, holdMs: 2000);
        var results = await Sipp.AllSucceedAsync(patient, reception, picker);

        var record = await practice.RecordOfAsync("+33640000202");
        Assert.Multiple(() =>
        {
            Assert.That(stranger.Succeeded, stranger.ToString());
            Assert.That(stranger.Messages, Does.Not.Contain("SIP/2.0 200 OK"), "the Val's phone is never connected to the Tilleuls' patient");
            Assert.That(strangerTrace.Media, Does.Contain(CallPickup.NothingToPickUp), "for the Val's phone, nothing rings");
            Assert.That(results[1].Received("CANCEL"), Is.Not.Null);
            Assert.That(record.AnsweredBy, Is.EqualTo("dr-martin"), Describe(record));
            Assert.That(record.Steps.Count(s => s.Kind == CallStepKinds.Answered), Is.EqualTo(1), Describe(record));
        });
    }

    [Test]
    public async Task PickedUpCall_StaysConnectedAcrossAKill9AndRestartOfTheEngine()
    {
        await using var served = await ServedPractice.StartAsync(Asterisk, Open, "pickup-restart", rules: _ => LongRing(Asterisk));
        var reception = await served.PhoneAsync("accueil-1", "phone-rings.xml");
        var patient = Sipp.Patient(Asterisk, "patient-stays-until-bye.xml", PracticeNumber, "+33640000203");
        await served.WaitForStepAsync("+33640000203", CallStepKinds.Ringing);

        // Dr Martin talks 15 s, then hangs up: the engine that runs then must end the patient's call too.
        var picker = SippRun.Start("dial-tilleuls.dr-martin", "phone-calls-out.xml",
        [
            "-s", PickupDecision.Code, "-key", "phone", "tilleuls.dr-martin", "-au", "tilleuls.dr-martin",
            "-ap", Environment.GetEnvironmentVariable("PBXTEST_DRMARTIN_PASSWORD")!, "-d", "15000",
            "-i", "127.0.0.6", "-p", FreePorts.Udp("127.0.0.6").ToString(), $"127.0.0.1:{Asterisk.SipPort}",
        ], countsAsCall: true);
        await served.Engine.WaitForLineAsync("picked up by dr-martin", "Dr Martin's phone takes the call");
        await served.RestartAsync(kill: true);
        await served.Engine.WaitForLineAsync("taken over, conversation with dr-martin kept", "the new engine keeps the conversation");
        var results = await Sipp.AllSucceedAsync(patient, reception, picker);

        var record = await served.FinishedRecordOfAsync("+33640000203");
        Assert.Multiple(() =>
        {
            Assert.That(results[0].Received("BYE"), Is.Not.Null, "the patient stayed with Dr Martin until he hung up");
            Assert.That(record.AnsweredBy, Is.EqualTo("dr-martin"), Describe(record));
            Assert.That(record.HungUpBy, Is.EqualTo("dr-martin"), Describe(record));
            Assert.That(record.Steps.Select(s => s.Kind), Does.Contain(CallStepKinds.Resumed), Describe(record));
            // Seen before the phone's channel carried the leg variables: the new engine also took it over as a call of its own
            // (a *8 with nothing ringing) and played "aucun appel à intercepter" into Dr Martin's conversation.
            Assert.That(served.Engine.Output, Does.Contain("Resynced after start: 0 calls kept, 1 taken over, 2 channels in Stasis"),
                "the picking phone's channel is the patient's conversation, not a phone's call of its own");
            Assert.That(served.Engine.Output, Does.Not.Contain("no call of the practice rings"));
        });
    }

    [Test]
    public async Task Pickup_WhenNothingRings_TheMessageSaysSo_AndThePhoneIsNotAnswered()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);

        var picker = await practice.Dial("dr-martin", PickupDecision.Code, "phone-call-refused.xml").WaitAsync();

        var trace = await practice.Engine.WaitForCallAsync(c => c.CalledNumber == PickupDecision.Code);
        Assert.Multiple(() =>
        {
            Assert.That(picker.Succeeded, picker.ToString());
            Assert.That(picker.Messages, Does.Contain("SIP/2.0 183"), "the message as early media");
            Assert.That(picker.Messages, Does.Not.Contain("SIP/2.0 200 OK"), "never answered");
            Assert.That(trace.Media, Does.Contain(CallPickup.NothingToPickUp), "the phone heard that nothing rings");
        });
    }

    private const string ValPasswordVariable = "PBXTEST_VAL_ACCUEIL_PASSWORD";
    private static readonly string ValPassword = $"pw-val-accueil-{Environment.ProcessId}";

    /// <summary>A second practice on the same Asterisk, whose reception phone dials the pickup code too.</summary>
    private const string ValPractice = """

          - id: val
            name: Maison de santé du Val
            numbers: ["04 72 00 00 00"]
            trunk: test-trunk
            time_zone: Europe/Paris
            phones:
              - { id: accueil, password_env: PBXTEST_VAL_ACCUEIL_PASSWORD }
            hours: { every_day: ["08:00-20:00"] }
            messages:
              closed: "La maison de santé est fermée. En cas d'urgence vitale, appelez le 15. Médecin de garde : 116 117."
            voicemail_boxes:
              - { id: val, name: Val }
            routes:
              open: [{ announce: closed }, { voicemail: val }]
              closed: [{ announce: closed }, { voicemail: val }]
        """;

    /// <summary>The test rules with the reception queue ringing 20 s (max wait 30 s).</summary>
    private static string LongRing(AsteriskInstance asterisk)
    {
        var rules = RulesText(asterisk);
        const string ring = "      ring_time: 4s\n      max_wait: 20s\n";
        Assert.That(rules, Does.Contain(ring), "the test rules' reception queue");
        return rules.Replace(ring, "      ring_time: 20s\n      max_wait: 30s\n");
    }

    /// <summary>Waits until the patient's call rings the reception phone (the engine's list of calls the pickup code can take).</summary>
    private static async Task RingingAsync(PracticeCalls practice)
    {
        var ringing = practice.Engine.Service<QueueBoard>().Ringing;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (ringing.Now.Count == 0)
        {
            if (limit.IsCancellationRequested) Assert.Fail("the patient's call never rang the reception phone");
            await Task.Delay(100);
        }
    }
}
