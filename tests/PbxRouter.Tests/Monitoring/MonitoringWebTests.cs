using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PbxRouter.Hosting;
using PbxRouter.Store;
using PbxRouter.Tests.Cli;

namespace PbxRouter.Tests.Monitoring;

/// <summary>The engine's own host with its web endpoint on a free loopback port, ARI pointing at a port where nothing listens.</summary>
[TestFixture]
public sealed class MonitoringWebTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(IHost Host, Uri Base)> StartAsync(int port)
    {
        var folder = CliRunner.TempFolder();
        var database = Path.Combine(folder, "pbxrouter.db");
        await new StoreDatabase(database).MigrateAsync();
        var settings = EngineSettings.Load(null, new Dictionary<string, string?>
        {
            ["Ari:Url"] = $"http://127.0.0.1:{FreePort()}/ari/", ["Ari:Password"] = "test-only", ["Database:Path"] = database,
            ["Web:Url"] = $"http://127.0.0.1:{port}", ["Logging:Level"] = "Warn",
        });
        Assert.That(settings.Problems, Is.Empty);
        var host = EngineHost.Build(settings, console: false);
        await host.StartAsync();
        return (host, new Uri($"http://127.0.0.1:{port}/"));
    }

    [Test]
    public async Task Health_WithoutAsteriskNorRules_Is503NamingAriAndRules_AndMetricsAreServed()
    {
        var (host, url) = await StartAsync(FreePort());
        try
        {
            using var http = new HttpClient { BaseAddress = url };
            using var health = await http.GetAsync("health");
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(health.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            using var json = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
            Assert.That(json.RootElement.GetProperty("failed").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "ari", "rules" }));

            using var metrics = await http.GetAsync("metrics");
            Assert.That(metrics.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(metrics.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            var text = await metrics.Content.ReadAsStringAsync();
            Assert.That(text, Does.Contain("pbxrouter_ari_connected 0\n").And.Contain("pbxrouter_rules_version 0\n")
                .And.Contain("pbxrouter_notification_outbox_entries{state=\"pending\"} 0\n").And.Contain("pbxrouter_active_calls 0\n"));

            using var other = await http.GetAsync("anything-else");
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            using var post = await http.PostAsync("health", new StringContent(""));
            Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        }
        finally
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    [Test]
    public async Task APortAlreadyTaken_LeavesTheEngineRunning_WithoutTheEndpoint()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var (host, _) = await StartAsync(((IPEndPoint)taken.LocalEndpoint).Port);
        try
        {
            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            Assert.That(lifetime.ApplicationStarted.IsCancellationRequested, Is.True, "the host started");
            Assert.That(lifetime.ApplicationStopping.IsCancellationRequested, Is.False, "and keeps running");
        }
        finally
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
