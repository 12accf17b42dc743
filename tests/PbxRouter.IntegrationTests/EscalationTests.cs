using Microsoft.Extensions.DependencyInjection;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Flows.Escalation;
using PbxRouter.Calls.Notifications;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Fallback;
using PbxRouter.Ari;
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
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
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

    /// <summary>The real engine, every patient's call following <paramref name="steps"/>; notifications dropped as files.</summary>
    private async Task<(EngineUnderTest Engine, VoicemailRepository Voicemails, string Drops)> EngineAsync(IReadOnlyList<PlanStep> steps)
    {
        var drops = Path.Combine(Path.GetTempPath(), "pbxrouter-it-escalation", Guid.NewGuid().ToString("N")[..12], "outbox");
        var engine = await EngineUnderTest.StartAsync(_asterisk, services: s =>
        {
            s.AddSingleton<IPlanSource>(new OnePlan(steps));
            s.AddSingleton(new EscalationOptions { ScreeningTime = TimeSpan.FromSeconds(5), DefaultTrunk = "trunk" });
            s.AddSingleton(new NotificationOptions { DropFolder = drops });
        });
        return (engine, new VoicemailRepository(engine.Database, TimeProvider.System), drops);
    }

    /// <summary>A plan source that gives every call the same steps (the Tilleuls, open).</summary>
    private sealed class OnePlan(IReadOnlyList<PlanStep> steps) : IPlanSource
    {
        public RoutedPlan PlanFor(string called, string caller, DateTimeOffset at) => new(0, null, new CallPlan
        {
            PracticeId = "tilleuls", PracticeName = "Tilleuls", PracticeState = PracticeState.Open, Reason = "urgent (test plan)", Steps = steps,
        });
    }

    private static readonly Voicemail UrgentBox = new("tilleuls-urgent", true, [new Notification(NotificationKind.Email, "dr.martin@tilleuls.example.fr")],
        "nobody took it");

    [Test]
    public async Task UrgentCall_FirstMobileSilentSecondPresses1_RingsBothThenConnectsThePatientToTheSecond()
    {
        var (engine, voicemails, _) = await EngineAsync([Escalate, UrgentBox]);
        await using var _ = engine;

        var mobiles = Mobiles(_asterisk, "mobile-martin-silent-durand-accepts.xml");
        var patient = Sipp.Patient(_asterisk, "patient-urgent.xml", "+33145000000", "+33611112222", holdMs: 18000);
        var connected = await ConnectedBridgeAsync(engine, "+33611112222");
        var mobilesResult = (await Sipp.AllSucceedAsync(patient, mobiles))[1];
        var record = await engine.WaitForRecordAsync((await engine.WaitForCallAsync(c => c.CallerNumber == "+33611112222")).CallId);
        var steps = string.Join("\n", record.Steps.Select(s => $"{s.Kind} {s.Target} {s.Detail}"));
        var firstInvite = mobilesResult.Received("INVITE");
        Assert.Multiple(() =>
        {
            Assert.That(firstInvite, Does.StartWith($"INVITE sip:{Martin}@"), "Dr Martin rung first");
            Assert.That(firstInvite, Does.Match(@"(?m)^From:.*sip:\+33611112222@"), "the doctor sees the patient's number");
            Assert.That(mobilesResult.Messages, Does.Contain($"INVITE sip:{Durand}@"), "Dr Durand rung after Dr Martin's silence");
            Assert.That((record.Outcome, record.AnsweredBy), Is.EqualTo((CallOutcomes.Answered, "Dr Durand")), steps);
            Assert.That(record.Steps.Select(s => s.Kind), Has.None.EqualTo(CallStepKinds.Voicemail), "the urgent voicemail never ran: " + steps);
            Assert.That(connected, Has.Count.EqualTo(2), "patient and Dr Durand's mobile in one bridge");
        });
        Assert.That(await voicemails.ListAsync("tilleuls-urgent", includeListened: true), Is.Empty);
    }

    [Test]
    public async Task UrgentCall_NobodyAccepts_LeavesAnUrgentVoicemailStoredAndNotified()
    {
        var (engine, voicemails, drops) = await EngineAsync([Escalate, UrgentBox]);
        await using var _ = engine;

        var mobiles = Mobiles(_asterisk, "mobile-martin-silent-durand-busy.xml");
        var patient = Sipp.Patient(_asterisk, "patient-urgent-message.xml", "+33145000000", "+33633334444", holdMs: 17000);
        await Sipp.AllSucceedAsync(patient, mobiles);
        var record = await engine.WaitForRecordAsync((await engine.WaitForCallAsync(c => c.CallerNumber == "+33633334444")).CallId);
        var steps = string.Join("\n", record.Steps.Select(s => $"{s.Kind} {s.Target} {s.Detail}"));
        var messages = await voicemails.ListAsync("tilleuls-urgent", includeListened: true);
        Assert.Multiple(() =>
        {
            Assert.That(record.Steps.Count(s => s.Kind == CallStepKinds.Escalated), Is.EqualTo(2), "both doctors rung: " + steps);
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Voicemail), "escalation gave up, then the voicemail: " + steps);
            Assert.That(messages, Has.Count.EqualTo(1));
            Assert.That(messages[0].Urgent, Is.True);
            Assert.That(messages[0].CallerNumber, Is.EqualTo("+33633334444"));
            Assert.That(messages[0].DurationSeconds, Is.GreaterThan(0));
            Assert.That(Directory.Exists(drops) ? Directory.GetFiles(drops, "*.json") : [], Has.Length.EqualTo(1), "one notification, at once");
        });
        // Stored in the engine's voicemail folder, the row pointing at it; Asterisk's spool copy is gone.
        var file = engine.VoicemailFiles.PathOf(messages[0].RecordingName);
        Assert.That(File.Exists(file), $"{file} exists");
        // The row has Asterisk's length of the recording (whole seconds), the file's is rounded: one second apart at most.
        Assert.That(WavDuration.Seconds(await File.ReadAllBytesAsync(file)), Is.InRange(messages[0].DurationSeconds - 1, messages[0].DurationSeconds + 1),
            "the message's whole audio");
        Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "health data: 0600");
        Assert.ThrowsAsync<AriNotFoundException>(() => engine.Ari.Recordings.GetStoredAsync(messages[0].RecordingName), "no copy left in Asterisk's spool");
    }

    /// <summary>The channels of the caller's bridge once the engine says the call is connected (bounded wait).</summary>
    private static async Task<IReadOnlyList<string>> ConnectedBridgeAsync(EngineUnderTest engine, string caller)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        CallTrace? call;
        while ((call = engine.Journal.Active.FirstOrDefault(c => c.CallerNumber == caller && c.Steps.Any(s => s.StartsWith("connected to", StringComparison.Ordinal))))
               is null)
        {
            if (limit.IsCancellationRequested) Assert.Fail($"the call from {caller} was never connected");
            await Task.Delay(100);
        }
        var bridges = await engine.Ari.Bridges.ListAsync();
        return bridges.FirstOrDefault(b => b.Channels.Contains(call.CallId))?.Channels ?? [];
    }
}
