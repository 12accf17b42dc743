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

        // ARI can never answer here: give up after 10 s instead of the default 60.
        var result = await asterisk.ScriptAsync("start", new Dictionary<string, string> { ["PBX_START_TIMEOUT"] = "10" });

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
    /// <summary>Renders the instance's configuration (no start) and returns the folder's files by name.</summary>
    private static async Task<(ProcessRunner.Result Result, Func<string, string> File)> RenderAsync(IReadOnlyDictionary<string, string> network)
    {
        var asterisk = new AsteriskInstance(network: network);
        var result = await asterisk.ScriptAsync("render");
        var folder = result.Output.Trim().Split('\n').Last().Trim();
        return (result, name => System.IO.File.ReadAllText(Path.Combine(folder, name)));
    }

    [Test]
    public async Task Render_Defaults_KeepSipMediaAndAriOnLoopback()
    {
        var (result, file) = await RenderAsync(new Dictionary<string, string>());

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(file("pjsip_transports.conf"), Does.Contain("[transport-udp]\ntype = transport\nprotocol = udp\nbind = 127.0.0.1:")
            .And.Contain("[transport-tcp]").And.Not.Contain("transport-tls").And.Not.Contain("external_"));
        Assert.That(file("pjsip.conf"), Does.Contain("media_address = 127.0.0.1").And.Contain("#include pjsip_transports.conf"));
        Assert.That(file("http.conf"), Does.Contain("bindaddr = 127.0.0.1"));
        Assert.That(file("rtp.conf"), Does.Contain("rtpstart = 40000\nrtpend = 44999"));
    }

    [Test]
    public async Task Render_LanAndPublicTrunk_FollowsTheNetworkSettings()
    {
        var (result, file) = await RenderAsync(new Dictionary<string, string>
        {
            ["PBX_SIP_BIND"] = "0.0.0.0", ["PBX_MEDIA_ADDRESS"] = "192.168.1.10", ["PBX_EXTERNAL_SIGNALING_ADDRESS"] = "203.0.113.7",
            ["PBX_LOCAL_NET"] = "192.168.1.0/24, 10.8.0.0/16", ["PBX_RTP_START"] = "30000", ["PBX_RTP_END"] = "30999", ["PBX_SIP_TCP_PORT"] = "0",
        });

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        var transports = file("pjsip_transports.conf");
        Assert.That(transports, Does.Contain("bind = 0.0.0.0:").And.Not.Contain("transport-tcp"));
        Assert.That(transports, Does.Contain("local_net = 192.168.1.0/24\nlocal_net = 10.8.0.0/16\nexternal_signaling_address = 203.0.113.7\nexternal_media_address = 203.0.113.7\n"));
        Assert.That(file("pjsip.conf"), Does.Contain("media_address = 192.168.1.10").And.Not.Contain("media_address = 127.0.0.1"));
        Assert.That(file("rtp.conf"), Does.Contain("rtpstart = 30000\nrtpend = 30999"));
        Assert.That(file("http.conf"), Does.Contain("bindaddr = 127.0.0.1"), "ARI stays on loopback unless told");
    }

    [TestCase("PBX_ARI_BIND", "10.0.0.5", "PBX_ARI_EXPOSE=1")]
    [TestCase("PBX_SIP_BIND", "0.0.0.0", "set PBX_MEDIA_ADDRESS")]
    [TestCase("PBX_EXTERNAL_SIGNALING_ADDRESS", "203.0.113.7", "PBX_LOCAL_NET must list")]
    [TestCase("PBX_TLS_CERT_FILE", "/nonexistent/pbx.pem", "TLS needs both")]
    [TestCase("PBX_LOCAL_NET", "192.168.1.0/24;evil", "PBX_LOCAL_NET must be networks")]
    public async Task Render_UnsafeOrIncompleteNetwork_IsRefusedWithTheSetting(string setting, string value, string message)
    {
        var (result, _) = await RenderAsync(new Dictionary<string, string> { [setting] = value });
        Assert.That(result.ExitCode, Is.Not.Zero, result.Output);
        Assert.That(result.Output, Does.Contain(message));
    }

    [Test]
    public async Task Render_TlsWithReadableFiles_AddsATlsTransportWithCopiesOfThem()
    {
        var folder = Directory.CreateTempSubdirectory("pbxrouter-tls-").FullName;
        var (cert, key) = (Path.Combine(folder, "cert.pem"), Path.Combine(folder, "key.pem"));
        System.IO.File.WriteAllText(cert, "-----BEGIN CERTIFICATE-----\n");
        System.IO.File.WriteAllText(key, "-----BEGIN PRIVATE KEY-----\n");
        var (result, file) = await RenderAsync(new Dictionary<string, string> { ["PBX_TLS_CERT_FILE"] = cert, ["PBX_TLS_KEY_FILE"] = key, ["PBX_SIP_TLS_PORT"] = "15061" });

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(file("pjsip_transports.conf"), Does.Match(@"\[transport-tls\]\ntype = transport\nprotocol = tls\nbind = 127\.0\.0\.1:15061\ncert_file = /etc/pbxrouter/[^/]+/tls/cert\.pem\npriv_key_file = /etc/pbxrouter/[^/]+/tls/key\.pem\n"));
        Assert.That(file("tls/key.pem"), Does.StartWith("-----BEGIN PRIVATE KEY-----"));
    }

    [Test]
    public async Task Start_WithAnExternalAddress_AsteriskTakesTheNatSettings()
    {
        await using var asterisk = new AsteriskInstance(network: new Dictionary<string, string>
        {
            ["PBX_EXTERNAL_SIGNALING_ADDRESS"] = "203.0.113.7", ["PBX_LOCAL_NET"] = "127.0.0.0/8",
        });
        await asterisk.StartAsync();

        var udp = (await asterisk.CliAsync("pjsip show transport transport-udp")).Output;
        Assert.That(udp, Does.Match(@"external_signaling_address\s*:\s*203\.0\.113\.7").And.Match(@"local_net\s*:\s*127\.0\.0\.0/255\.0\.0\.0"), udp);
        var tcp = (await asterisk.CliAsync("pjsip show transports")).Output;
        Assert.That(tcp, Does.Contain("transport-tcp").And.Contain($"127.0.0.1:{asterisk.SipTcpPort}"), tcp);
    }

    [Test]
    public async Task Start_WithAnEngineUser_ThatUserWritesTheGeneratedFilesAndPrompts_AndAsteriskReadsThem()
    {
        const string user = "pbxrouter-it";
        var exists = await ProcessRunner.RunAsync("id", [user]);
        if (exists.ExitCode != 0)
        {
            var created = await ProcessRunner.RunAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user]);
            Assert.That(created.ExitCode, Is.Zero, created.Output);
        }
        await using var asterisk = new AsteriskInstance(network: new Dictionary<string, string> { ["PBX_ENGINE_USER"] = user });
        await asterisk.StartAsync();
        // Asterisk runs as a user of its own on the host too: the root fs's ids are reserved there (never another
        // service's user, who would own Asterisk's configuration and its passwords).
        var owner = await ProcessRunner.RunAsync("stat", ["-c", "%U", $"/proc/{asterisk.Pid}"]);
        Assert.That(owner.Output.Trim(), Is.EqualTo("pbxrouter-asterisk").Or.EqualTo("asterisk"), owner.Output);

        // As the engine does: written aside with mode 640 (umask 027), then renamed over the file Asterisk includes.
        var dialplan = Path.Combine(Path.GetDirectoryName(asterisk.GeneratedPjsipPath)!, "extensions_generated.conf");
        var prompt = Path.Combine(asterisk.PromptsPath, "it-engine-user.txt");
        var written = await ProcessRunner.RunAsync("runuser", ["-u", user, "--", "sh", "-c",
            "umask 027 && printf '[it-engine-user]\\nexten => 42,1,NoOp(written by the engine user)\\n' >\"$1.tmp\" && mv \"$1.tmp\" \"$1\" && echo hello >\"$2\"",
            "sh", dialplan, prompt]);
        Assert.That(written.ExitCode, Is.Zero, $"the engine user could not write the generated files: {written.Output}");

        var reload = await asterisk.CliAsync("dialplan reload");
        Assert.That(reload.ExitCode, Is.Zero, reload.Output);
        var shown = (await asterisk.CliAsync("dialplan show it-engine-user")).Output;
        Assert.That(shown, Does.Contain("written by the engine user"), "Asterisk did not read the file the engine user wrote");
        Assert.That(File.Exists(prompt), Is.True);
        File.Delete(prompt);
    }
}
