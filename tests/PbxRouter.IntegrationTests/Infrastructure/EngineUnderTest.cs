using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PbxRouter.Ari;
using PbxRouter.Calls.Engine;
using PbxRouter.Hosting;

namespace PbxRouter.IntegrationTests.Infrastructure;

/// <summary>The real engine (same host as `pbxrouter serve`) running in the test process against a test Asterisk.</summary>
public sealed class EngineUnderTest : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private EngineUnderTest(IHost host) => _host = host;

    public AriClient Ari => _host.Services.GetRequiredService<AriClient>();
    public CallJournal Journal => _host.Services.GetRequiredService<CallJournal>();

    public static async Task<EngineUnderTest> StartAsync(AsteriskInstance asterisk, string? databasePath = null)
    {
        databasePath ??= Path.Combine(Path.GetTempPath(), "pbxrouter-it", $"{asterisk.Name}-{Guid.NewGuid():N}.db");
        var settings = EngineSettings.Load(null, new Dictionary<string, string?>
        {
            ["Ari:Url"] = asterisk.AriUrl.ToString(),
            ["Ari:User"] = AsteriskInstance.AriUser,
            ["Ari:Password"] = asterisk.AriPassword,
            ["Ari:Application"] = asterisk.AriApp,
            ["Logging:Level"] = "Debug",
            ["Database:Path"] = databasePath,
        });
        Assert.That(settings.Problems, Is.Empty, "engine settings");
        var engine = new EngineUnderTest(EngineHost.Build(settings, console: false));
        await engine._host.StartAsync();
        await engine.WaitUntilConnectedAsync();
        return engine;
    }

    /// <summary>Waits for the ARI WebSocket (bounded so a broken engine fails the test instead of hanging it).</summary>
    public async Task WaitUntilConnectedAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!Ari.Health.IsConnected)
        {
            if (limit.IsCancellationRequested)
                Assert.Fail($"engine did not connect to ARI: {Ari.Health}");
            await Task.Delay(50);
        }
    }

    public async Task<CallTrace> WaitForCallAsync(Func<CallTrace, bool> match)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            return await Journal.WaitForFinishedAsync(match, limit.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no finished call matched; active: {string.Join(", ", Journal.Active.Select(c => c.CallId))}");
            throw;
        }
    }

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _host.StopAsync();
        _host.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
