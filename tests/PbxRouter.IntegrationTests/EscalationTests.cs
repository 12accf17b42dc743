using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Flows.Escalation;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Notifications;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.IntegrationTests;

/// <summary>
/// Urgent escalation through a real Asterisk: the doctors' mobiles are SIPp behind the trunk. A mobile that answers
/// without pressing 1 (its own voicemail) never gets the patient; the next doctor rings; pressing 1 connects;
/// nobody accepting leads to the urgent voicemail, stored in SQLite and notified at once.
/// </summary>
[TestFixture]
public sealed class EscalationTests
{
    private const string Martin = "+33612345678", Durand = "+33698765432";
    private AsteriskInstance _asterisk = null!;

    private static readonly Escalate Escalate = new(
        [new EscalationContact("Dr Martin", Martin, TimeSpan.FromSeconds(15)), new EscalationContact("Dr Durand", Durand, TimeSpan.FromSeconds(15))],
        "1", TimeSpan.FromSeconds(15), "urgent key pressed");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _asterisk = new AsteriskInstance();
        await _asterisk.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_asterisk is not null) await _asterisk.DisposeAsync();
    }

    private static SippRun Mobiles(AsteriskInstance asterisk, string scenario) =>
        SippRun.Start("mobiles", scenario, ["-m", "2", "-i", AsteriskInstance.TrunkPeer, "-p", asterisk.TrunkPort.ToString()], countsAsCall: false);

    private StepHarness Harness(IReadOnlyList<PlanStep> steps, out VoicemailRepository voicemails, out string drops)
    {
        var escalate = new EscalateExecutor(new EscalationOptions { ScreeningTime = TimeSpan.FromSeconds(5), DefaultTrunk = "trunk" });
        var executors = new List<IStepExecutor> { escalate };
        var harness = new StepHarness(_asterisk, executors, steps);
        voicemails = new VoicemailRepository(harness.Db, TimeProvider.System);
        drops = Path.Combine(harness.Folder, "outbox");
        var options = new NotificationOptions { DropFolder = drops, DropWebhooks = true };
        var notifier = new VoicemailNotifier([new DropFolderSender(options, NullLogger<DropFolderSender>.Instance)], options, NullLogger<VoicemailNotifier>.Instance);
        executors.Add(new VoicemailExecutor(voicemails, notifier, new VoicemailOptions()));
        return harness;
    }

    [Test]
    public async Task UrgentCall_FirstMobileSilentSecondPresses1_RingsBothThenConnectsThePatientToTheSecond()
    {
        var urgentBox = new Voicemail("tilleuls-urgent", true, [new Notification(NotificationKind.Webhook, "https://alerts.example.fr/urgent")], "nobody took it");
        await using var harness = Harness([Escalate, urgentBox], out var voicemails, out _);
        await harness.StartAsync();

        var mobiles = Mobiles(_asterisk, "mobile-martin-silent-durand-accepts.xml");
        var patient = Sipp.Patient(_asterisk, "patient-urgent.xml", "+33145000000", "+33611112222", holdMs: 18000);
        var mobilesResult = (await Sipp.AllSucceedAsync(patient, mobiles))[1];
        await harness.WaitForEndedAsync(1, TimeSpan.FromSeconds(30));
        var results = harness.Results.Values.Single();
        var firstInvite = mobilesResult.Received("INVITE");
        Assert.Multiple(() =>
        {
            Assert.That(firstInvite, Does.StartWith($"INVITE sip:{Martin}@"), "Dr Martin rung first");
            Assert.That(firstInvite, Does.Match(@"(?m)^From:.*sip:\+33611112222@"), "the doctor sees the patient's number");
            Assert.That(mobilesResult.Messages, Does.Contain($"INVITE sip:{Durand}@"), "Dr Durand rung after Dr Martin's silence");
            Assert.That(results.Select(r => r.GetType()), Is.EqualTo(new[] { typeof(StepOutcome.Connected) }), "connected, the urgent voicemail never ran");
            Assert.That(harness.ConnectedBridges.Single(), Has.Count.EqualTo(2), "patient and Dr Durand's mobile in one bridge");
        });
        Assert.That(await voicemails.ListAsync("tilleuls-urgent", includeListened: true), Is.Empty);
    }

    [Test]
    public async Task UrgentCall_NobodyAccepts_LeavesAnUrgentVoicemailStoredAndNotified()
    {
        var urgentBox = new Voicemail("tilleuls-urgent", true, [new Notification(NotificationKind.Webhook, "https://alerts.example.fr/urgent")], "nobody took it");
        await using var harness = Harness([Escalate, urgentBox], out var voicemails, out var drops);
        await harness.StartAsync();

        var mobiles = Mobiles(_asterisk, "mobile-martin-silent-durand-busy.xml");
        var patient = Sipp.Patient(_asterisk, "patient-urgent-message.xml", "+33145000000", "+33633334444", holdMs: 17000);
        var mobilesResult = (await Sipp.AllSucceedAsync(patient, mobiles))[1];
        await harness.WaitForEndedAsync(1, TimeSpan.FromSeconds(30));
        var results = harness.Results.Values.Single();
        var messages = await voicemails.ListAsync("tilleuls-urgent", includeListened: true);
        Assert.Multiple(() =>
        {
            Assert.That(results, Is.EqualTo(new StepOutcome[] { new StepOutcome.Next(), new StepOutcome.Done(CallOutcomes.Voicemail) }),
                "escalation gave up, then the voicemail");
            Assert.That(messages, Has.Count.EqualTo(1));
            Assert.That(messages[0].Urgent, Is.True);
            Assert.That(messages[0].CallerNumber, Is.EqualTo("+33633334444"));
            Assert.That(messages[0].DurationSeconds, Is.GreaterThan(0));
            Assert.That(Directory.Exists(drops) ? Directory.GetFiles(drops, "*.json") : [], Has.Length.EqualTo(1), "one notification, at once");
        });
        var stored = await harness.Ari.Recordings.GetStoredAsync(messages[0].RecordingName);
        Assert.That(stored.Format, Is.EqualTo("wav"));
    }
}
