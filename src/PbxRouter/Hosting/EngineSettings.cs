using Microsoft.Extensions.Configuration;
using PbxRouter.Ari;
using PbxRouter.Calls;
using PbxRouter.Calls.Prompts;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Watchdog;

namespace PbxRouter.Hosting;

/// <summary>
/// Settings of `pbxrouter serve`: built-in defaults, then the JSON file, then environment
/// variables PBXROUTER_Section__Key (e.g. PBXROUTER_Ari__Password). Secrets come from the environment.
/// </summary>
public sealed class EngineSettings
{
    public const string DefaultConfigPath = "/etc/pbxrouter/pbxrouter.json";

    public required IConfiguration Configuration { get; init; }
    public required AriOptions Ari { get; init; }
    public required EngineOptions Engine { get; init; }
    public required string DatabasePath { get; init; }
    public ProvisioningOptions Provisioning { get; init; } = new();
    /// <summary>Section "Asterisk": where the rules' prompts are written and where Asterisk reads them.</summary>
    public PromptOptions Prompts { get; init; } = new();
    /// <summary>Section "Watchdog": `pbxrouter watchdog`, and how often `pbxrouter serve` writes its heartbeat.</summary>
    public WatchdogOptions Watchdog { get; init; } = new();
    /// <summary>Section "Web": /metrics and /health (loopback unless Web:AllowRemote).</summary>
    public Monitoring.WebOptions Web { get; init; } = new();
    /// <summary>`--clock-start`: the engine's clock starts at this instant and runs forward (tests, demos).</summary>
    public DateTimeOffset? ClockStart { get; init; }
    public string LogLevel { get; init; } = "Info";
    public IReadOnlyList<string> Problems { get; init; } = [];

    public static EngineSettings Load(FileInfo? configFile, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder().AddInMemoryCollection(Defaults);
        var problems = new List<string>();
        if (configFile is not null && !configFile.Exists)
            problems.Add($"settings file {configFile.FullName} does not exist");
        var path = configFile?.FullName ?? (File.Exists(DefaultConfigPath) ? DefaultConfigPath : null);
        if (path is not null && File.Exists(path)) builder.AddJsonFile(path, optional: false);
        builder.AddEnvironmentVariables("PBXROUTER_");
        if (overrides is not null) builder.AddInMemoryCollection(overrides);
        return FromConfiguration(builder.Build(), problems);
    }

    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Ari:Url"] = "http://127.0.0.1:8088/ari/",
        ["Ari:User"] = "pbxrouter",
        ["Ari:Application"] = "pbxrouter",
        ["Database:Path"] = "/var/lib/pbxrouter/pbxrouter.db",
        ["Logging:Level"] = "Info",
    };

    /// <summary>
    /// ARI carries the ARI password in every request and controls every call: it stays on the machine (loopback) unless
    /// Ari:AllowRemote says otherwise, explicitly; then https is advised, not enforced (a VPN may already protect it).
    /// </summary>
    private static IEnumerable<string> AriReach(Uri? url, IConfiguration config)
    {
        if (url is null || url.IsLoopback) yield break;
        if (!bool.TryParse(config["Ari:AllowRemote"] ?? "false", out var allowed))
            yield return $"Ari:AllowRemote '{config["Ari:AllowRemote"]}' is not true or false";
        else if (!allowed)
            yield return $"Ari:Url {url} is not on this machine (loopback): set Ari:AllowRemote=true to reach ARI elsewhere, "
                + "and bind Asterisk's ARI there explicitly (PBX_ARI_BIND, PBX_ARI_EXPOSE=1; docs/network.md)";
    }

    private static EngineSettings FromConfiguration(IConfiguration config, List<string> problems)
    {
        var url = config["Ari:Url"] ?? "";
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
            problems.Add($"Ari:Url '{url}' is not an http(s) URL (example: http://127.0.0.1:8088/ari/)");
        var password = config["Ari:Password"];
        if (string.IsNullOrEmpty(password))
            problems.Add("Ari:Password is not set: set the environment variable PBXROUTER_Ari__Password (never put it in a file in the repository)");
        var engine = new EngineOptions();
        config.GetSection("Engine").Bind(engine);
        var provisioning = new ProvisioningOptions();
        config.GetSection("Asterisk").Bind(provisioning);
        var prompts = new PromptOptions();
        config.GetSection("Asterisk").Bind(prompts);
        var sip = new SipOptions();
        config.GetSection("Sip").Bind(sip);
        provisioning.Sip = sip;
        problems.AddRange(sip.Problems());
        problems.AddRange(AriReach(baseUrl, config));
        var watchdog = new WatchdogOptions();
        config.GetSection("Watchdog").Bind(watchdog);
        problems.AddRange(watchdog.Problems());
        NotificationOutbox.ReadOptions(config, problems);
        var web = Monitoring.WebOptions.Read(config, problems);
        Cti.CtiServices.Check(config, problems);
        problems.AddRange((config.GetSection("Retention").Get<PbxRouter.Calls.Flows.Voicemail.RetentionOptions>() ?? new()).Problems());
        problems.AddRange((config.GetSection("FeatureCodes").Get<PbxRouter.Calls.Phones.FeatureCodeOptions>() ?? new()).Problems());
        return new EngineSettings
        {
            Configuration = config,
            Ari = new AriOptions
            {
                BaseUrl = baseUrl ?? new Uri("http://127.0.0.1:8088/ari/"),
                User = config["Ari:User"] ?? "pbxrouter",
                Password = password ?? "",
                Application = config["Ari:Application"] ?? "pbxrouter",
            },
            Engine = engine,
            Provisioning = provisioning,
            Prompts = prompts,
            Watchdog = watchdog,
            Web = web,
            DatabasePath = config["Database:Path"]!,
            LogLevel = config["Logging:Level"] ?? "Info",
            Problems = problems,
        };
    }
}
