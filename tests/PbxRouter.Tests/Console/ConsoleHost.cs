using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PbxRouter.Calls.Rules;
using PbxRouter.Hosting;
using PbxRouter.Routing;
using PbxRouter.Store;
using PbxRouter.Tests.Cli;
using PbxRouter.WebConsole;

namespace PbxRouter.Tests.WebConsole;

/// <summary>
/// The engine's own host (ARI pointing where nothing listens) with two practices applied and the console on a free loopback
/// port: admin "alice", manager "marc" of tilleuls, manager "paula" of platanes.
/// </summary>
internal sealed partial class ConsoleHost : IAsyncDisposable
{
    public const string Password = "correct horse battery";
    public const string Rules = """
        secretariats:
          - { id: sec, number: "05 67 00 00 00" }
        practices:
          - id: tilleuls
            name: Tilleuls
            numbers: ["01 45 00 00 00"]
            hours: { weekdays: ["08:00-19:00"] }
            messages:
              closed: "Fermé. Urgence vitale : appelez le 15."
            overflow: { to: [sec] }
            voicemail_boxes:
              - { id: cabinet }
            modes:
              - { id: all-to-secretariat, name: tout au secrétariat, steps: [overflow] }
            routes:
              open: [overflow, { voicemail: cabinet }]
              closed: [{ announce: closed }, { voicemail: cabinet }]
          - id: platanes
            name: Platanes
            numbers: ["01 46 00 00 00"]
            hours: { weekdays: ["08:00-19:00"] }
            messages:
              closed: "Fermé. Urgence vitale : appelez le 15."
            overflow: { to: [sec] }
            voicemail_boxes:
              - { id: platanes-box }
            modes:
              - { id: all-to-secretariat, steps: [overflow] }
            routes:
              open: [overflow, { voicemail: platanes-box }]
              closed: [{ announce: closed }, { voicemail: platanes-box }]
        """;

    private static readonly string Hash = ConsolePasswords.Hash(Password);

    private ConsoleHost(IHost host, Uri url, StoreDatabase database, string folder)
    {
        Host = host;
        Url = url;
        Database = database;
        Folder = folder;
    }

    public IHost Host { get; }
    public Uri Url { get; }
    public StoreDatabase Database { get; }
    public string Folder { get; }

    public static async Task<ConsoleHost> StartAsync(Dictionary<string, string?>? extra = null, int? webPort = null)
    {
        var folder = CliRunner.TempFolder();
        var path = Path.Combine(folder, "pbxrouter.db");
        var database = new StoreDatabase(path);
        await database.MigrateAsync();
        var compiled = RulesCompiler.Compile("rules.yaml", Rules);
        Assert.That(compiled.Errors, Is.Empty, "the test's rules compile");
        await new RulesRepository(database, TimeProvider.System).ApplyAsync(new RulesApplication(
            [new RulesSourceFile("rules.yaml", Rules)], compiled.Rules!.ToJson(), compiled.Rules.ContentHash, "test", null));
        var port = webPort ?? FreePort();
        var values = new Dictionary<string, string?>
        {
            ["Ari:Url"] = $"http://127.0.0.1:{FreePort()}/ari/", ["Ari:Password"] = "test-only", ["Database:Path"] = path,
            ["Web:Url"] = $"http://127.0.0.1:{port}", ["Logging:Level"] = "Warn",
            ["Console:Users:0:Name"] = "alice", ["Console:Users:0:PasswordHash"] = Hash, ["Console:Users:0:Role"] = "admin",
            ["Console:Users:1:Name"] = "marc", ["Console:Users:1:PasswordHash"] = Hash, ["Console:Users:1:Role"] = "manager",
            ["Console:Users:1:Practice"] = "tilleuls",
            ["Console:Users:2:Name"] = "paula", ["Console:Users:2:PasswordHash"] = Hash, ["Console:Users:2:Role"] = "manager",
            ["Console:Users:2:Practice"] = "platanes",
            ["Console:MaxFailedLogins"] = "3",
        };
        foreach (var (key, value) in extra ?? []) values[key] = value;
        var settings = EngineSettings.Load(null, values);
        Assert.That(settings.Problems, Is.Empty);
        var host = EngineHost.Build(settings, console: false);
        await host.StartAsync();
        await host.Services.GetRequiredService<ActiveRules>().RefreshAsync(CancellationToken.None);
        return new ConsoleHost(host, new Uri($"{(values.ContainsKey("Web:Certificate:Path") ? "https" : "http")}://127.0.0.1:{port}/"), database, folder);
    }

    /// <summary>A browser-like client: its own cookies, no automatic redirects.</summary>
    public HttpClient Client() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Url };

    /// <summary>Logs <paramref name="user"/> in through the form (with its antiforgery token); returns the answer to the POST.</summary>
    public static async Task<HttpResponseMessage> LoginAsync(HttpClient http, string user, string password = Password)
    {
        var token = await TokenAsync(http, "console/login");
        return await http.PostAsync("console/login", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["__af"] = token, ["user"] = user, ["password"] = password }));
    }

    /// <summary>The antiforgery token of the first form on <paramref name="page"/>.</summary>
    public static async Task<string> TokenAsync(HttpClient http, string page)
    {
        var html = await http.GetStringAsync(page);
        var match = TokenField().Match(html);
        Assert.That(match.Success, Is.True, "the page carries an antiforgery field:\n" + html);
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string token, Dictionary<string, string>? fields = null)
    {
        var form = new Dictionary<string, string>(fields ?? []) { ["__af"] = token };
        return http.PostAsync(path, new FormUrlEncodedContent(form));
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
