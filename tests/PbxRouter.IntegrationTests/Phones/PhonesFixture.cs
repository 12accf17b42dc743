using PbxRouter.Hosting;
using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;

namespace PbxRouter.IntegrationTests.Phones;

/// <summary>Base of the phones' fixtures: one Asterisk and one engine with Rules/phones-out-test.yaml applied (a Tuesday, 10:00).</summary>
public abstract class PhonesFixture : PracticeFixture
{
    protected EngineUnderTest Engine { get; private set; } = null!;
    protected PhonesOut Phones { get; private set; } = null!;

    /// <summary>Engine settings of the fixture, over the test defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    [OneTimeSetUp]
    public async Task StartEngineAsync()
    {
        Phones = new PhonesOut(Asterisk);
        Engine = await EngineUnderTest.StartAsync(Asterisk, provision: true, time: new PinnedClock(DateTimeOffset.Parse("2026-11-24T10:00:00+01:00")),
            settings: Settings);
        await Engine.ApplyRulesAsync("phones-out-test.yaml", Phones.Rules());
    }

    [OneTimeTearDown]
    public async Task StopEngineAsync()
    {
        if (Engine is not null) await Engine.DisposeAsync();
    }

    /// <summary>The calls this engine finished so far (to tell the next call apart from earlier ones to the same number).</summary>
    protected HashSet<string> Seen() => Engine.Journal.Finished.Select(c => c.CallId).ToHashSet();

    /// <summary>The record of the call (not one of <paramref name="seen"/>) that dialled <paramref name="dialled"/>.</summary>
    protected async Task<CallRecord> RecordOfAsync(string dialled, HashSet<string>? seen = null)
    {
        var trace = await Engine.WaitForCallAsync(c => c.CalledNumber == dialled && seen?.Contains(c.CallId) != true);
        return await Engine.WaitForRecordAsync(trace.CallId);
    }
}
