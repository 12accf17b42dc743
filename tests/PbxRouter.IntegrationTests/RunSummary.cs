using PbxRouter.IntegrationTests.Infrastructure;

namespace PbxRouter.IntegrationTests;

/// <summary>Writes how many real SIP calls were placed and passed (scripts/test.sh prints it).</summary>
[SetUpFixture]
public sealed class RunSummary
{
    [OneTimeTearDown]
    public void Report()
    {
        var line = $"SIP calls through a real Asterisk: {SipCallTally.PlacedCount} placed, {SipCallTally.PassedCount} passed";
        TestContext.Progress.WriteLine(line);
        var path = Environment.GetEnvironmentVariable("PBXROUTER_SIP_REPORT");
        if (!string.IsNullOrEmpty(path)) File.WriteAllText(path, line + Environment.NewLine);
    }
}
