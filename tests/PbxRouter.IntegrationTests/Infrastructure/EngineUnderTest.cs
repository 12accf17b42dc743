using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PbxRouter.Ari;
using PbxRouter.Calls;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Calls.Rules;
using PbxRouter.Hosting;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.IntegrationTests.Infrastructure;

/// <summary>The real engine (same host as `pbxrouter serve`) running in the test process against a test Asterisk.</summary>
public sealed class EngineUnderTest : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private EngineUnderTest(IHost host) => _host = host;

    public AriClient Ari => Service<AriClient>();
    public CallJournal Journal => Service<CallJournal>();
    /// <summary>A service of the engine's host (CallEngine, CallRecordWriter, IntrusionTally...), for counters and fault injection.</summary>
    public T Service<T>() where T : notnull => _host.Services.GetRequiredService<T>();
    /// <summary>The engine's voicemail folder (the messages' audio).</summary>
    public Calls.Flows.Voicemail.VoicemailFiles VoicemailFiles => Service<Calls.Flows.Voicemail.VoicemailFiles>();
    /// <summary>The engine's SQLite database (rules, runtime modes, call records).</summary>
    public StoreDatabase Database => Service<StoreDatabase>();

    /// <summary>Before any rules, calls are answered with the greeting (as the answer-only benchmark runs) instead of the fallback route.</summary>
    public static readonly IReadOnlyDictionary<string, string?> GreetWithoutRules = new Dictionary<string, string?> { ["Engine:GreetWithoutRules"] = "true" };

    /// <param name="settings">More settings (e.g. Notifications:DropFolder), over the test defaults.</param>
    /// <param name="services">Replaces some of the engine's services (e.g. an <see cref="Calls.Flows.IPlanSource"/> giving a test's own plan).</param>
    public static async Task<EngineUnderTest> StartAsync(AsteriskInstance asterisk, string? databasePath = null, TimeProvider? time = null,
        bool provision = false, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        databasePath ??= Path.Combine(Path.GetTempPath(), "pbxrouter-it", $"{asterisk.Name}-{Guid.NewGuid():N}.db");
        var values = new Dictionary<string, string?>
        {
            ["Ari:Url"] = asterisk.AriUrl.ToString(),
            ["Ari:User"] = AsteriskInstance.AriUser,
            ["Ari:Password"] = asterisk.AriPassword,
            ["Ari:Application"] = asterisk.AriApp,
            ["Logging:Level"] = "Debug",
            ["Database:Path"] = databasePath,
            // Each database its own voicemail folder (beside it by default: test databases share folders).
            ["Voicemail:StoragePath"] = databasePath + ".voicemail",
            ["Asterisk:GeneratedConfigPath"] = provision ? asterisk.GeneratedPjsipPath : "",
            ["Asterisk:SecurityLogPath"] = asterisk.SecurityLogPath,
            // The rules' texts are spoken into the instance's own prompts folder, which Asterisk plays from.
            ["Asterisk:PromptsPath"] = asterisk.PromptsPath,
            ["Asterisk:PromptsAsteriskPath"] = asterisk.PromptsAsteriskPath,
            // SIPp phones register, then listen: they cannot answer the OPTIONS of qualify in between.
            ["Asterisk:PhoneQualifySeconds"] = "0",
            // No /metrics nor /health unless a test asks (Web:Url): engines of parallel tests would share the default port.
            ["Web:Url"] = "",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var loaded = EngineSettings.Load(null, values);
        Assert.That(loaded.Problems, Is.Empty, "engine settings");
        var engine = new EngineUnderTest(EngineHost.Build(loaded, time, console: false, services));
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

    /// <summary>Applies rules as `pbxrouter rules apply` does and waits until the engine (and Asterisk, when provisioning) uses them.</summary>
    public async Task<int> ApplyRulesAsync(string path, string text)
    {
        var result = RulesCompiler.Compile(path, text);
        Assert.That(result.Errors, Is.Empty, "test rules must compile");
        var compiled = result.Rules!;
        var version = await _host.Services.GetRequiredService<RulesRepository>().ApplyAsync(new RulesApplication(
            [new RulesSourceFile(path, text)], compiled.ToJson(), compiled.ContentHash, "integration-test", null));
        var provisioning = _host.Services.GetRequiredService<ProvisioningOptions>();
        var provisioner = _host.Services.GetRequiredService<AsteriskProvisioner>();
        var rules = _host.Services.GetRequiredService<ActiveRules>();
        await WaitUntilAsync(() => rules.Version == version.Number && (!provisioning.Enabled || provisioner.ProvisionedVersion == version.Number),
            $"rules version {version.Number} in force");
        return version.Number;
    }

    /// <summary>The call record once the call has ended (bounded wait).</summary>
    public async Task<CallRecord> WaitForRecordAsync(string callId)
    {
        var repository = new CallRecordRepository(_host.Services.GetRequiredService<StoreDatabase>(), TimeProvider.System);
        var writer = _host.Services.GetRequiredService<CallRecordWriter>();
        CallRecord? record = null;
        await WaitUntilAsync(async () =>
        {
            await writer.FlushAsync();
            record = await repository.GetAsync(callId);
            return record?.EndedAt is not null;
        }, $"call record of {callId} ended");
        return record!;
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (limit.IsCancellationRequested) Assert.Fail($"timed out waiting for: {what}");
            await Task.Delay(100);
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
