using System.Diagnostics;
using PbxRouter.Tests.Cli;

namespace PbxRouter.Tests.Deployment;

/// <summary>
/// deploy/systemd/*.service pass `systemd-analyze verify` with nothing to say (an unknown key or a value it cannot parse
/// is only a warning for systemd: here it fails the test), and keep their hardening.
/// `systemd-analyze verify` checks that ExecStart's program exists and is executable. The units run /usr/bin/dotnet
/// (Debian's path); where the SDK lives elsewhere (a machine with dotnet on another path), the test verifies a copy
/// of the unit whose ExecStart names the dotnet that runs this test, and says so. The DLL argument
/// (/opt/pbxrouter/pbxrouter.dll) is not checked by systemd-analyze. systemd-analyze comes with Debian's package
/// `systemd`, which scripts/test.sh installs when it is missing.
/// </summary>
[TestFixture]
public sealed class SystemdUnitsTests
{
    private static string UnitsFolder { get; } = Folder();

    private static string Folder() => Path.Combine(Path.GetDirectoryName(CliRunner.SamplesFolder)!, "..", "deploy", "systemd");

    /// <summary>The engine and the watchdog: long-running, networked, hardened alike.</summary>
    public static IEnumerable<string> Services => new[] { "pbxrouter.service", "pbxrouter-watchdog.service" };

    /// <summary>Every unit of deploy/systemd (the nightly backup's service and timer too).</summary>
    public static IEnumerable<string> Units => Directory.GetFiles(UnitsFolder).Select(Path.GetFileName).Order().ToList()!;

    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = CliRunner.TempFolder();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Output)> VerifyAsync(string unit)
    {
        var start = new ProcessStartInfo("systemd-analyze") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("verify");
        start.ArgumentList.Add(unit);
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"systemd-analyze cannot run ({e.Message}): install Debian's package systemd (scripts/test.sh does)");
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, (await stdout + await stderr).Trim());
        }
    }

    /// <summary>The unit as shipped, or a copy whose ExecStart names the dotnet running this test when /usr/bin/dotnet is not there.</summary>
    private string Copy(string name, Func<string, string>? change = null)
    {
        // The others beside it: the timer names its service.
        foreach (var other in Units.Where(u => u != name)) File.Copy(Path.Combine(UnitsFolder, other), Path.Combine(_dir, other), overwrite: true);
        var text = File.ReadAllText(Path.Combine(UnitsFolder, name));
        if (!File.Exists("/usr/bin/dotnet") && text.Contains("ExecStart=/usr/bin/dotnet "))
        {
            var dotnet = Environment.ProcessPath!;
            TestContext.Out.WriteLine($"/usr/bin/dotnet does not exist here: verifying {name} with ExecStart={dotnet}");
            text = text.Replace("ExecStart=/usr/bin/dotnet ", $"ExecStart={dotnet} ");
        }
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, change is null ? text : change(text));
        return path;
    }

    [TestCaseSource(nameof(Units))]
    public async Task Unit_PassesSystemdAnalyzeVerify_WithoutAWarning(string name)
    {
        var (code, output) = await VerifyAsync(Copy(name));
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Is.Empty, "systemd-analyze verify has something to say");
    }

    [Test]
    public async Task Verify_CatchesAMistake_SoThatTheTestAboveCanFail()
    {
        var (code, output) = await VerifyAsync(Copy("pbxrouter.service", t => t.Replace("ProtectSystem=strict", "ProtectSystem=stric")));
        Assert.That(code != 0 || output.Length > 0, Is.True, "a wrong value must be reported");
        Assert.That(output, Does.Contain("stric"));
    }

    [Test]
    public void TheFourUnits_AreThere() =>
        Assert.That(Units, Is.EquivalentTo(new[] { "pbxrouter.service", "pbxrouter-watchdog.service", "pbxrouter-backup.service", "pbxrouter-backup.timer" }));

    [TestCaseSource(nameof(Services))]
    public void Unit_IsHardened_WithoutBreakingDotnet(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(UnitsFolder, name)).Select(l => l.Trim()).ToList();
        Assert.Multiple(() =>
        {
            foreach (var expected in new[]
            {
                "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes", "CapabilityBoundingSet=",
                "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "ProtectKernelTunables=yes", "RestrictNamespaces=yes", "User=pbxrouter",
            })
                Assert.That(lines, Does.Contain(expected));
            // .NET's JIT needs writable-then-executable memory; no private network: ARI is reached on loopback.
            Assert.That(lines, Has.None.StartsWith("MemoryDenyWriteExecute=yes").And.None.StartsWith("PrivateNetwork=yes").And.None.StartsWith("IPAddressDeny"));
        });
        if (name == "pbxrouter.service")
            Assert.That(lines, Does.Contain("StateDirectory=pbxrouter").And.Some.StartsWith("ReadWritePaths=-/etc/pbxrouter"));
    }
}
