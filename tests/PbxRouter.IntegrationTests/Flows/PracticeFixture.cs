using PbxRouter.IntegrationTests.Infrastructure;

namespace PbxRouter.IntegrationTests.Flows;

/// <summary>Base of the call-flow fixtures: one real Asterisk for the fixture's tests, stopped at the end.</summary>
public abstract class PracticeFixture
{
    protected AsteriskInstance Asterisk { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsteriskAsync()
    {
        Asterisk = new AsteriskInstance();
        await Asterisk.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsteriskAsync()
    {
        if (Asterisk is not null) await Asterisk.DisposeAsync();
    }
}
