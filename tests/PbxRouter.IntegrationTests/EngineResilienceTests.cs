using PbxRouter.Ari;
using PbxRouter.IntegrationTests.Infrastructure;

namespace PbxRouter.IntegrationTests;

/// <summary>The engine survives Asterisk restarts and its own restarts without losing a call.</summary>
[TestFixture]
public sealed class EngineResilienceTests
{
    [Test]
    public async Task Engine_WhenAsteriskRestarts_ReconnectsAndHandlesTheNextCall()
    {
        await using var asterisk = new AsteriskInstance();
        await asterisk.StartAsync();
        await using var engine = await EngineUnderTest.StartAsync(asterisk, settings: EngineUnderTest.GreetWithoutRules);
        await CallAndExpectGreetingAsync(asterisk, engine, "+33620000001");

        await asterisk.StopAsync();
        await WaitForAsync(() => !engine.Ari.Health.IsConnected, "engine notices that Asterisk is gone");
        Assert.That(engine.Ari.Health.State, Is.EqualTo(AriConnectionState.Reconnecting).Or.EqualTo(AriConnectionState.Connecting));

        await asterisk.StartAsync();
        await engine.WaitUntilConnectedAsync();
        Assert.That(engine.Ari.Health.ReconnectAttempts, Is.GreaterThanOrEqualTo(0));
        await CallAndExpectGreetingAsync(asterisk, engine, "+33620000002");
    }

    [Test]
    public async Task Engine_StoppedDuringACall_TheNextEngineTakesTheCallOver_InsteadOfSendingItAway()
    {
        await using var asterisk = new AsteriskInstance(fallbackNumber: "+33567000000");
        await asterisk.StartAsync();
        var first = await EngineUnderTest.StartAsync(asterisk, settings: EngineUnderTest.GreetWithoutRules);
        // The patient stays until hung up: the greeting flow of the next engine greets them and hangs up.
        var patient = Sipp.Patient(asterisk, "patient-stays-until-bye.xml", "+33145000000", "+33620000003");

        await WaitForAsync(() => first.Journal.Active.Any(c => c.Steps.Contains("answered")), "first engine answers the call");
        await first.StopAsync();
        await using var second = await EngineUnderTest.StartAsync(asterisk, settings: EngineUnderTest.GreetWithoutRules);

        var patientResult = await patient.WaitAsync();
        Assert.That(patientResult.Succeeded, patientResult.ToString());
        var call = await second.WaitForCallAsync(c => c.CallerNumber == "+33620000003");
        Assert.Multiple(() =>
        {
            Assert.That(call.Steps, Does.Contain("taken over from a previous engine (inbound)"));
            Assert.That(call.Outcome, Is.EqualTo("greeted"), "greeted by the next engine, not sent to the fallback route");
        });
    }

    private static async Task CallAndExpectGreetingAsync(AsteriskInstance asterisk, EngineUnderTest engine, string caller)
    {
        var sip = await Sipp.Patient(asterisk, "patient-greeted.xml", "+33145000000", caller).WaitAsync();
        Assert.That(sip.Succeeded, sip.ToString());
        var call = await engine.WaitForCallAsync(c => c.CallerNumber == caller);
        Assert.That(call.Outcome, Is.EqualTo("greeted"));
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            if (limit.IsCancellationRequested) Assert.Fail($"timed out waiting: {what}");
            await Task.Delay(50);
        }
    }
}
