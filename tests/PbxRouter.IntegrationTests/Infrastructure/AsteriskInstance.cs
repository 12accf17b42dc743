namespace PbxRouter.IntegrationTests.Infrastructure;

/// <summary>
/// A real Asterisk of the tests' own, started with scripts/asterisk.sh on free loopback ports.
/// If it cannot start, StartAsync throws and the tests that need it fail (never skip).
/// </summary>
public sealed class AsteriskInstance : IAsyncDisposable
{
    private static int _counter;
    private readonly Dictionary<string, string> _env;

    /// <param name="network">More instance settings (PBX_LOCAL_NET, PBX_TLS_CERT_FILE...: docs/network.md), over the test defaults.</param>
    public AsteriskInstance(string? fallbackNumber = null, IReadOnlyDictionary<string, string>? network = null)
    {
        Name = $"it{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}";
        SipPort = FreePorts.Udp();
        SipTcpPort = FreePorts.Tcp();
        AriPort = FreePorts.Tcp();
        TrunkPort = FreePorts.Udp(TrunkPeer);
        AriPassword = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        _env = new Dictionary<string, string>
        {
            ["PBX_INSTANCE"] = Name,
            ["PBX_SIP_PORT"] = SipPort.ToString(),
            ["PBX_SIP_TCP_PORT"] = SipTcpPort.ToString(),
            ["PBX_ARI_PORT"] = AriPort.ToString(),
            ["PBX_ARI_USER"] = AriUser,
            ["PBX_ARI_PASSWORD"] = AriPassword,
            ["PBX_ARI_APP"] = AriApp,
            ["PBX_TRUNK_PEER"] = TrunkPeer,
            ["PBX_TRUNK_PORT"] = TrunkPort.ToString(),
            ["PBX_RTP_START"] = "40000",
            ["PBX_RTP_END"] = "44999",
            ["PBX_FALLBACK_NUMBER"] = fallbackNumber ?? "",
        };
        foreach (var (key, value) in network ?? new Dictionary<string, string>()) _env[key] = value;
    }

    /// <summary>The carrier's address: SIPp plays the patient and the remote secretariat from here.</summary>
    public const string TrunkPeer = "127.0.0.2";
    public const string AriUser = "pbxrouter-test";
    public string Name { get; }
    public int SipPort { get; }
    /// <summary>The TCP transport's port (transport-tcp), on the same loopback address.</summary>
    public int SipTcpPort { get; }
    public int AriPort { get; }
    public int TrunkPort { get; }
    public string AriPassword { get; }
    public string AriApp { get; } = "pbxrouter";
    public Uri AriUrl => new($"http://127.0.0.1:{AriPort}/ari/");

    /// <summary>The pid scripts/asterisk.sh recorded for this instance (null when not running).</summary>
    public int? Pid
    {
        get
        {
            var path = Path.Combine(Environment.GetEnvironmentVariable("PBX_CACHE") ?? "/var/cache/pbxrouter", "instances", Name, "asterisk.pid");
            return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), out var pid) ? pid : null;
        }
    }

    /// <summary>Where the engine writes the rules' trunks and phones for this instance (PBX_GENERATED_PJSIP of its env file).</summary>
    public string GeneratedPjsipPath => EnvValue("PBX_GENERATED_PJSIP");

    /// <summary>Asterisk's security log of this instance (PBX_SECURITY_LOG of its env file): every refused request, for fail2ban.</summary>
    public string SecurityLogPath => EnvValue("PBX_SECURITY_LOG");

    /// <summary>The instance's prompts folder as the engine writes it (PBX_PROMPTS_DIR) and as Asterisk reads it (PBX_PROMPTS_ASTERISK_DIR).</summary>
    public string PromptsPath => EnvValue("PBX_PROMPTS_DIR");
    public string PromptsAsteriskPath => EnvValue("PBX_PROMPTS_ASTERISK_DIR");

    private string EnvValue(string key)
    {
        var env = Path.Combine(Environment.GetEnvironmentVariable("PBX_CACHE") ?? "/var/cache/pbxrouter", "instances", Name, "instance.env");
        var line = File.ReadAllLines(env).FirstOrDefault(l => l.StartsWith(key + "=", StringComparison.Ordinal));
        return line?[(key.Length + 1)..] ?? throw new InvalidOperationException($"no {key} in {env}");
    }

    /// <summary>Asterisk's own log of this instance (logger.conf "messages": warnings and errors, with the dialplan's Log(WARNING) lines), beside its security log.</summary>
    public string MessagesLog => Path.Combine(Path.GetDirectoryName(SecurityLogPath)!, "messages");

    /// <summary>Runs scripts/asterisk.sh VERB for this instance and returns its exit code and output.</summary>
    /// <param name="more">More environment for this run only (e.g. PBX_START_TIMEOUT).</param>
    public Task<ProcessRunner.Result> ScriptAsync(string verb, IReadOnlyDictionary<string, string>? more = null) =>
        ProcessRunner.RunAsync("bash", [RepoPaths.Script("asterisk.sh"), verb],
            more is null ? _env : new Dictionary<string, string>(_env.Concat(more).GroupBy(e => e.Key).Select(g => g.Last())));

    public async Task StartAsync()
    {
        var result = await ScriptAsync("start");
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"Asterisk instance {Name} failed to start (exit {result.ExitCode}):\n{result.Output}");
    }

    public async Task StopAsync()
    {
        var result = await ProcessRunner.RunAsync("bash", [RepoPaths.Script("asterisk.sh"), "stop"], _env);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"Asterisk instance {Name} failed to stop:\n{result.Output}");
    }

    public Task<ProcessRunner.Result> CliAsync(string command) =>
        ProcessRunner.RunAsync("bash", [RepoPaths.Script("asterisk.sh"), "cli", command], _env);

    public async ValueTask DisposeAsync() => await StopAsync();
}
