using PbxRouter.Calls.Provisioning;
using PbxRouter.Hosting;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;

namespace PbxRouter.IntegrationTests;

/// <summary>
/// The urgent path through the whole engine (`pbxrouter serve` host, rules applied, Asterisk provisioned): a patient
/// waiting in the queue presses 9, both doctors' mobiles fail (one silent, one busy), the urgent voicemail takes the
/// message, stores it in SQLite and drops the notification at once.
/// </summary>
[TestFixture]
public sealed class EscalationEngineTests
{
    private const string Rules = """
        version: 1
        trunks:
          - { id: test-trunk, host: "127.0.0.2:@@TRUNK_PORT@@", ip_addresses: ["127.0.0.2"] }
        practices:
          - id: urgence
            name: Cabinet des Tilleuls
            numbers: ["01 45 00 00 00"]
            trunk: test-trunk
            phones:
              - { id: accueil-1, password_env: PBXTEST_URGENT_ACCUEIL1_PASSWORD }
            hours: { every_day: ["00:00-24:00"] }
            holidays: { calendar: none }
            messages:
              closed: { text: "Le cabinet est fermé. En cas d'urgence vitale, appelez le 15. Médecin de garde : 116 117." }
            queue: { members: [accueil-1], ring_time: 30s, max_wait: 60s, max_callers: 5 }
            escalation:
              key: "9"
              contacts:
                - { name: Dr Martin, number: "06 12 34 56 78", ring_time: 15s }
                - { name: Dr Durand, number: "06 98 76 54 32", ring_time: 15s }
              voicemail: urgences
            voicemail_boxes:
              - { id: cabinet }
              - id: urgences
                urgent: true
                notify: [{ email: dr.martin@tilleuls.example.fr }]
            routes:
              open: [queue, { voicemail: cabinet }]
              closed: [{ announce: closed }, { voicemail: cabinet }]
        """;

    [TearDown]
    public void ForgetSettings()
    {
        Environment.SetEnvironmentVariable("PBXROUTER_Notifications__DropFolder", null);
        Environment.SetEnvironmentVariable("PBXROUTER_Escalation__ScreeningTime", null);
    }

    /// <summary>Asterisk, the engine (clock pinned to an opening hour, provisioning on) with the rules above, and the reception phone ringing.</summary>
    /// <summary>The rules above with a long greeting played after answering (the closed message's prompt, about 12 s) before the queue.</summary>
    private static readonly string RulesWithGreeting = Rules
        .Replace("    queue: {", "    greeting: { sound: tilleuls-ferme, text: \"Le cabinet est actuellement fermé. En cas d'urgence vitale, appelez le 15. Pour joindre le médecin de garde, appelez le 116 117.\", answer: after_answer }\n    queue: {")
        .Replace("open: [queue,", "open: [greeting, queue,");

    private static async Task<(AsteriskInstance Asterisk, EngineUnderTest Engine, SippRun Reception, string Database, string Drops)> StartPracticeAsync(
        string rules = Rules)
    {
        var asterisk = new AsteriskInstance();
        await asterisk.StartAsync();
        var folder = Path.Combine(Path.GetTempPath(), "pbxrouter-it-urgent", Guid.NewGuid().ToString("N")[..12]);
        var drops = Path.Combine(folder, "outbox");
        // Read by the engine's settings (PBXROUTER_Section__Key); removed after the test so other tests' engines are unaffected.
        Environment.SetEnvironmentVariable("PBXROUTER_Notifications__DropFolder", drops);
        Environment.SetEnvironmentVariable("PBXROUTER_Escalation__ScreeningTime", "00:00:05");
        Environment.SetEnvironmentVariable("PBXTEST_URGENT_ACCUEIL1_PASSWORD", $"pw-urgent-{Environment.ProcessId}");
        var database = Path.Combine(folder, "pbxrouter.db");
        var engine = await EngineUnderTest.StartAsync(asterisk, database, time: new PinnedClock(DateTimeOffset.Parse("2026-11-24T10:00:00+01:00")), provision: true);
        await engine.ApplyRulesAsync("urgence.yaml", rules.Replace("@@TRUNK_PORT@@", asterisk.TrunkPort.ToString()));
        var (address, port) = ("127.0.0.8", FreePorts.Udp("127.0.0.8"));
        await Sipp.RegisterPhoneAsync(asterisk, PjsipConfig.PhoneEndpoint("urgence", "accueil-1"), $"pw-urgent-{Environment.ProcessId}", address, port);
        return (asterisk, engine, Sipp.Phone("phone-rings.xml", address, port), database, drops);
    }

    private static SippRun Mobiles(AsteriskInstance asterisk, string scenario) =>
        SippRun.Start("mobiles", scenario, ["-m", "2", "-i", AsteriskInstance.TrunkPeer, "-p", asterisk.TrunkPort.ToString()], countsAsCall: false);

    [Test]
    public async Task UrgentKeyInTheQueue_NoDoctorAccepts_UrgentVoicemailStoredAndNotified()
    {
        var (asterisk, engine, reception, database, drops) = await StartPracticeAsync();
        await using var _ = asterisk;
        await using var __ = engine;

        var (record, mobilesResult, steps) = await UrgentCallAsync(asterisk, engine, reception, "mobile-martin-silent-durand-busy.xml",
            "patient-urgent-key.xml", "+33655556666", 17000);
        var messages = await new VoicemailRepository(new StoreDatabase(database, TimeProvider.System), TimeProvider.System)
            .ListAsync("urgences", includeListened: true);
        Assert.Multiple(() =>
        {
            Assert.That(mobilesResult.Received("INVITE"), Does.Match(@"(?m)^From:.*sip:\+33655556666@"), "Dr Martin sees the patient's number");
            Assert.That(mobilesResult.Messages, Does.Contain("INVITE sip:+33698765432@"), "then Dr Durand is rung");
            Assert.That(record.Steps.Count(s => s.Kind == CallStepKinds.Escalated), Is.GreaterThanOrEqualTo(2), steps);
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Voicemail), steps);
            Assert.That(messages, Has.Count.EqualTo(1), steps);
            Assert.That(messages.FirstOrDefault()?.Urgent, Is.True);
            Assert.That(messages.FirstOrDefault()?.CallerNumber, Is.EqualTo("+33655556666"));
            Assert.That(Directory.Exists(drops) ? Directory.GetFiles(drops, "*.json") : [], Has.Length.EqualTo(1), "notified at once");
        });
    }

    [Test]
    public async Task UrgentKeyDuringTheGreeting_Escalates()
    {
        var (asterisk, engine, reception, _, _) = await StartPracticeAsync(RulesWithGreeting);
        await using var a = asterisk;
        await using var e = engine;

        // The patient presses 9 three seconds after the answer, while the greeting (spoken from its text: about 9 s) still plays.
        var (record, _, steps) = await UrgentCallAsync(asterisk, engine, reception, "mobile-martin-silent-durand-accepts.xml",
            "patient-urgent-key.xml", "+33677779999", 12000);
        Assert.Multiple(() =>
        {
            Assert.That(record.Steps.Select(s => s.Kind).Take(3), Is.EqualTo(new[] { CallStepKinds.Entered, CallStepKinds.Greeting, CallStepKinds.Escalated }), steps);
            Assert.That(record.Steps[2].Target, Is.EqualTo("9"), steps);
            Assert.That(record.Steps.Select(s => s.Kind), Has.None.EqualTo(CallStepKinds.Queued), "the greeting stopped, the queue never ran: " + steps);
            Assert.That((record.Outcome, record.AnsweredBy), Is.EqualTo((CallOutcomes.Answered, "Dr Durand")), steps);
        });
    }

    [Test]
    public async Task UrgentKeyFromAWithheldPatient_TheDoctorsMobilesShowNoNumber()
    {
        var (asterisk, engine, reception, _, _) = await StartPracticeAsync();
        await using var a = asterisk;
        await using var e = engine;

        var (record, mobilesResult, _) = await UrgentCallAsync(asterisk, engine, reception, "mobile-martin-silent-durand-accepts.xml",
            "patient-withheld-urgent-key.xml", "+33677770001", 12000);
        Flows.WithheldCallerTests.AssertAnonymous(mobilesResult.Received("INVITE")!, "+33677770001");
        var froms = mobilesResult.Messages.Split('\n').Where(l => l.StartsWith("From:", StringComparison.Ordinal)).ToList();
        Assert.That(froms, Has.None.Contain("677770001"), "neither doctor's mobile sees the number");
        Assert.That((record.AnsweredBy, record.CallerWithheld), Is.EqualTo(("Dr Durand", true)));
    }

    [Test]
    public async Task UrgentKeyInTheQueue_SecondDoctorPresses1_IsConnectedAndNoVoicemailIsLeft()
    {
        var (asterisk, engine, reception, database, _) = await StartPracticeAsync();
        await using var a = asterisk;
        await using var e = engine;

        var (record, _, steps) = await UrgentCallAsync(asterisk, engine, reception, "mobile-martin-silent-durand-accepts.xml",
            "patient-urgent-key.xml", "+33677778888", 12000);
        var messages = await new VoicemailRepository(new StoreDatabase(database, TimeProvider.System), TimeProvider.System)
            .ListAsync("urgences", includeListened: true);
        Assert.Multiple(() =>
        {
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Answered), steps);
            Assert.That(record.AnsweredBy, Is.EqualTo("Dr Durand"), steps);
            Assert.That(record.HungUpBy, Is.EqualTo("caller"), steps);
            Assert.That(messages, Is.Empty, "the doctor took the call: no voicemail");
        });
    }

    /// <summary>
    /// An urgent call: the mobiles answer as <paramref name="mobilesScenario"/> says, the patient plays <paramref name="patientScenario"/>
    /// (the urgent key, then holds <paramref name="holdMs"/>); both SIPp sides must succeed. The call's record, what the mobiles received,
    /// and the record's steps as text.
    /// </summary>
    private static async Task<(CallRecord Record, SippResult Mobiles, string Steps)> UrgentCallAsync(AsteriskInstance asterisk, EngineUnderTest engine,
        SippRun reception, string mobilesScenario, string patientScenario, string caller, int holdMs)
    {
        var mobiles = Mobiles(asterisk, mobilesScenario);
        var patient = Sipp.Patient(asterisk, patientScenario, "+33145000000", caller, holdMs: holdMs);
        var patientResult = await patient.WaitAsync();
        var mobilesResult = await mobiles.WaitAsync();
        reception.Kill();
        Assert.That(patientResult.Succeeded, patientResult.ToString());
        Assert.That(mobilesResult.Succeeded, mobilesResult.ToString());
        var record = await engine.WaitForRecordAsync((await engine.WaitForCallAsync(c => c.CallerNumber == caller)).CallId);
        return (record, mobilesResult, string.Join("\n", record.Steps.Select(s => $"{s.Kind} {s.Target} {s.Detail}")));
    }
}
