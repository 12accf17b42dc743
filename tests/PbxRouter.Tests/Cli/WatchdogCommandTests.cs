namespace PbxRouter.Tests.Cli;

[TestFixture]
public sealed class WatchdogCommandTests
{
    [Test]
    public async Task Watchdog_WithABoundShorterThanAFewHeartbeats_RefusesToStart()
    {
        var config = Path.Combine(CliRunner.TempFolder(), "pbxrouter.json");
        await File.WriteAllTextAsync(config, """{ "Watchdog": { "Bound": "00:00:03" } }""");

        var result = await CliRunner.RunAsync("watchdog", "--config", config);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Err);
        Assert.That(result.Err, Does.Contain("pbxrouter watchdog: Watchdog:Bound (00:00:03) must be at least"));
    }
}
