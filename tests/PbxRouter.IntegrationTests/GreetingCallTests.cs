using PbxRouter.IntegrationTests.Infrastructure;

namespace PbxRouter.IntegrationTests;

/// <summary>
/// The foundation flow through a real Asterisk: a patient's call is answered, greeted and hung up. Without rules, calls take
/// the fallback route; this flow runs only where Engine:GreetWithoutRules asks for it (the answer-only benchmark).
/// </summary>
[TestFixture]
public sealed class GreetingCallTests
{
    private AsteriskInstance _asterisk = null!;
    private EngineUnderTest _engine = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _asterisk = new AsteriskInstance();
        await _asterisk.StartAsync();
        _engine = await EngineUnderTest.StartAsync(_asterisk, settings: EngineUnderTest.GreetWithoutRules);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_engine is not null) await _engine.DisposeAsync();
        if (_asterisk is not null) await _asterisk.DisposeAsync();
    }

    [Test]
    public async Task Call_FromPatient_IsAnsweredGreetedAndHungUpByTheEngine()
    {
        var patient = Sipp.Patient(_asterisk, "patient-greeted.xml", "+33145000000", "+33612345678");
        var sip = await patient.WaitAsync();

        Assert.That(sip.Succeeded, sip.ToString());
        var call = await _engine.WaitForCallAsync(c => c.CalledNumber == "+33145000000" && c.CallerNumber == "+33612345678");
        Assert.Multiple(() =>
        {
            Assert.That(call.Outcome, Is.EqualTo("greeted"));
            Assert.That(call.Events, Does.Contain("StasisStart").And.Contain("PlaybackFinished").And.Contain("StasisEnd"));
            Assert.That(call.Steps, Does.Contain("answered").And.Contain("greeting finished").And.Contain("hung up by engine"));
        });
    }

    [Test]
    public async Task Call_PatientHangsUpDuringGreeting_IsRecordedAsCallerHungUp()
    {
        var patient = Sipp.Patient(_asterisk, "patient-hangs-up.xml", "+33145000000", "+33698765432", holdMs: 300);
        var sip = await patient.WaitAsync();

        Assert.That(sip.Succeeded, sip.ToString());
        var call = await _engine.WaitForCallAsync(c => c.CallerNumber == "+33698765432");
        Assert.That(call.Outcome, Is.EqualTo("caller-hung-up"));
        Assert.That(call.Steps, Does.Not.Contain("hung up by engine"));
    }

    [Test]
    public async Task Calls_SeveralAtOnce_AreEachHandledInOrder()
    {
        var callers = Enumerable.Range(0, 5).Select(i => $"+3361000000{i}").ToArray();
        var runs = callers.Select(c => Sipp.Patient(_asterisk, "patient-greeted.xml", "+33145000000", c)).ToArray();
        var results = await Task.WhenAll(runs.Select(r => r.WaitAsync()));

        Assert.That(results.Where(r => !r.Succeeded), Is.Empty);
        foreach (var caller in callers)
        {
            var call = await _engine.WaitForCallAsync(c => c.CallerNumber == caller);
            Assert.That(call.Events[0], Is.EqualTo("StasisStart"), caller);
            var events = call.Events.ToList();
            Assert.That(events.IndexOf("PlaybackFinished"), Is.LessThan(events.IndexOf("StasisEnd")), caller);
        }
    }
}
