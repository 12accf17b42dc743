using PbxRouter.Hosting;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Flows.PracticeCalls;

namespace PbxRouter.IntegrationTests.Flows;

/// <summary>
/// A caller on the trunk dialling a feature code, an internal extension or an outside number, with the Tilleuls' sample
/// rules (which give *21, #21, *22, *28, *97, the GSM forms *21*NUMBER#, #21#, *#21# and extensions 101-202 to the practice's phones): refused as an unknown number,
/// no runtime mode changes in SQLite, and nothing is dialled (the carrier's side hears no INVITE).
/// </summary>
[TestFixture]
public sealed class TrunkCallerRefusedTests : PracticeFixture
{
    private EngineUnderTest _engine = null!;

    [OneTimeSetUp]
    public async Task StartEngineWithTheSampleRulesAsync()
    {
        _engine = await EngineUnderTest.StartAsync(Asterisk, time: new PinnedClock(Open), provision: true);
        await _engine.ApplyRulesAsync("tilleuls.yaml", await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "samples", "rules", "tilleuls.yaml")));
    }

    [OneTimeTearDown]
    public async Task StopEngineAsync()
    {
        if (_engine is not null) await _engine.DisposeAsync();
    }

    [TestCase("*21", "+33630000061")]
    [TestCase("#21", "+33630000062")]
    [TestCase("*97", "+33630000063")]
    [TestCase("*22", "+33630000069")]
    [TestCase("*28", "+33630000070")]
    [TestCase("*21*0612345678#", "+33630000071")]
    [TestCase("#21#", "+33630000072")]
    [TestCase("*#21#", "+33630000073")]
    [TestCase("101", "+33630000064")]
    [TestCase("201", "+33630000065")]
    [TestCase("0033612345678", "+33630000066")]
    [TestCase("0044207946000", "+33630000067")]
    [TestCase("0612345678", "+33630000068")]
    public async Task TrunkCaller_DiallingAFeatureCodeAnExtensionOrAnOutsideNumber_IsRefusedAndNothingChanges(string dialled, string caller)
    {
        var carrier = Sipp.Secretariat(Asterisk); // anything the engine dialled out would reach it
        var patient = Sipp.Patient(Asterisk, "patient-refused.xml", dialled, caller);

        var result = await patient.WaitAsync();
        var call = await _engine.WaitForCallAsync(c => c.CallerNumber == caller);
        var record = await _engine.WaitForRecordAsync(call.CallId);
        carrier.Kill();
        var outside = await carrier.WaitAsync();

        var runtime = new RuntimeStateRepository(_engine.Database, TimeProvider.System);
        var modes = await runtime.GetModesAsync();
        var changes = await runtime.HistoryAsync("tilleuls");
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, result.ToString());
            Assert.That(result.Messages, Does.Contain("SIP/2.0 404"), "refused as an unknown number");
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Refused), Describe(record));
            Assert.That(record.CalledNumber, Is.EqualTo(dialled));
            Assert.That(record.Steps.Select(s => s.Kind), Is.EqualTo(new[] { CallStepKinds.Entered, CallStepKinds.Refused }), Describe(record));
            Assert.That(modes, Is.Empty, "no mode set");
            Assert.That(changes, Is.Empty, "no mode change recorded");
            Assert.That(outside.Received("INVITE"), Is.Null, "nothing dialled through the trunk");
        });
    }
}
