using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PbxRouter.IntegrationTests.Infrastructure;

namespace PbxRouter.IntegrationTests;

/// <summary>scripts/asterisk.sh: start is idempotent, stop leaves no process, a failed start is loud.</summary>
[TestFixture]
public sealed class AsteriskScriptTests
{
    [Test]
    public async Task Start_TwiceInARow_IsHarmless_AndStopLeavesNoAsterisk()
    {
        var asterisk = new AsteriskInstance();
        await asterisk.StartAsync();
        var pid = asterisk.Pid;
        Assert.That(pid, Is.Not.Null);

        var second = await asterisk.ScriptAsync("start");
        Assert.That(second.ExitCode, Is.Zero, second.Output);
        Assert.That(second.Output, Does.Contain("already running"));
        Assert.That(asterisk.Pid, Is.EqualTo(pid), "the second start must not start another Asterisk");

        await asterisk.StopAsync();
        Assert.That(IsRunning(pid!.Value), Is.False, "Asterisk still running after stop");
        var status = await asterisk.ScriptAsync("status");
        Assert.That(status.ExitCode, Is.Not.Zero, status.Output);
    }

    [Test]
    public async Task Start_WhenAriPortIsTaken_FailsWithTheLogAndLeavesNoAsterisk()
    {
        var asterisk = new AsteriskInstance();
        using var squatter = new TcpListener(IPAddress.Loopback, asterisk.AriPort);
        squatter.Start();

        var result = await asterisk.ScriptAsync("start");

        Assert.That(result.ExitCode, Is.Not.Zero, result.Output);
        Assert.That(result.Output, Does.Contain("did not answer on ARI port").And.Contain("Asterisk failed to start"));
        Assert.That(asterisk.Pid, Is.Null, "a failed start must not leave a pid behind");
    }

    [Test]
    public async Task Prompts_FromTheRules_AreSpokenIntoTheFrenchSounds()
    {
        var name = $"it-prompt-{Guid.NewGuid():N}"[..20];
        var folder = Path.Combine(Path.GetTempPath(), "pbxrouter-it-prompts", name);
        Directory.CreateDirectory(folder);
        var rules = File.ReadAllText(Path.Combine(RepoPaths.Root, "samples", "rules", "tilleuls.yaml")).Replace("sound: tilleuls-bonjour", $"sound: {name}");
        File.WriteAllText(Path.Combine(folder, "tilleuls.yaml"), rules);

        var result = await ProcessRunner.RunAsync("bash", [RepoPaths.Script("asterisk.sh"), "prompts", folder]);

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        var cache = Environment.GetEnvironmentVariable("PBX_CACHE") ?? "/var/cache/pbxrouter";
        string[] candidates =
        [
            Path.Combine(cache, "asterisk-sid-root", "usr/share/asterisk/sounds/fr/pbxrouter", name + ".wav"),
            Path.Combine("/usr/share/asterisk/sounds/fr/pbxrouter", name + ".wav"),
        ];
        var wav = candidates.FirstOrDefault(File.Exists);
        Assert.That(wav, Is.Not.Null, $"no {name}.wav made:\n{result.Output}");
        Assert.That(new FileInfo(wav!).Length, Is.GreaterThan(8000), "at least half a second of 8 kHz audio");
        File.Delete(wav!);
        File.Delete(Path.ChangeExtension(wav!, ".txt"));
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
