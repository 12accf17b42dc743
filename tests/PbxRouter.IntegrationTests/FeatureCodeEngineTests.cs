using PbxRouter.Calls.Provisioning;
using PbxRouter.Hosting;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;

namespace PbxRouter.IntegrationTests;

/// <summary>Feature codes through the whole engine: the Tilleuls' sample rules applied, phones provisioned, *21 from Dr Martin's desk phone.</summary>
[TestFixture]
public sealed class FeatureCodeEngineTests
{
    private static readonly string DrMartin = PjsipConfig.PhoneEndpoint("tilleuls", "dr-martin");

    [Test]
    public async Task Star21ThenHash21_FromDrMartin_ThroughTheEngine_SetThenClearTheModeInSqlite()
    {
        await using var asterisk = new AsteriskInstance();
        await asterisk.StartAsync();
        Environment.SetEnvironmentVariable("TILLEULS_MARTIN_PASSWORD", $"pw-martin-{Environment.ProcessId}");
        Environment.SetEnvironmentVariable("TILLEULS_ACCUEIL1_PASSWORD", $"pw-accueil-{Environment.ProcessId}");
        var database = Path.Combine(Path.GetTempPath(), "pbxrouter-it-fc", Guid.NewGuid().ToString("N")[..12], "pbxrouter.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        await using var engine = await EngineUnderTest.StartAsync(asterisk, database, time: new PinnedClock(DateTimeOffset.Parse("2026-11-24T10:00:00+01:00")), provision: true);
        await engine.ApplyRulesAsync("tilleuls.yaml", await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "samples", "rules", "tilleuls.yaml")));

        var sip = await SippRun.Start("phone-dr-martin", "phone-feature-code.xml",
        [
            "-s", "*21", "-key", "phone", DrMartin, "-au", DrMartin, "-ap", $"pw-martin-{Environment.ProcessId}",
            "-i", "127.0.0.6", "-p", FreePorts.Udp("127.0.0.6").ToString(), $"127.0.0.1:{asterisk.SipPort}",
        ], countsAsCall: true).WaitAsync();

        Assert.That(sip.Succeeded, sip.ToString());
        var modes = await new RuntimeStateRepository(new StoreDatabase(database, TimeProvider.System), TimeProvider.System).GetModesAsync();
        Assert.That(modes["tilleuls"].Mode, Is.EqualTo("all-to-secretariat"));
        Assert.That(modes["tilleuls"].SetBy, Is.EqualTo("dr-martin"));
        Assert.That(modes["tilleuls"].Via, Is.EqualTo("feature-code *21"));

        var cancel = await SippRun.Start("phone-dr-martin-cancel", "phone-feature-code.xml",
        [
            "-s", "#21", "-key", "phone", DrMartin, "-au", DrMartin, "-ap", $"pw-martin-{Environment.ProcessId}",
            "-i", "127.0.0.6", "-p", FreePorts.Udp("127.0.0.6").ToString(), $"127.0.0.1:{asterisk.SipPort}",
        ], countsAsCall: true).WaitAsync();

        Assert.That(cancel.Succeeded, cancel.ToString());
        var after = await new RuntimeStateRepository(new StoreDatabase(database, TimeProvider.System), TimeProvider.System).GetModesAsync();
        Assert.That(after.TryGetValue("tilleuls", out var mode) ? mode.Mode : null, Is.Null, "#21 cancels the forwarding");
    }
}
