using System.Globalization;
using PbxRouter.IntegrationTests.Flows;
using PbxRouter.Store;

namespace PbxRouter.IntegrationTests.Infrastructure;

/// <summary>
/// `pbxrouter serve` as a real child process on the tests' practice (tilleuls-test.yaml applied with `rules apply`), which
/// a test can kill (-9) or stop (SIGTERM) and start again on the same database, the clock running on from where it was.
/// </summary>
public sealed class ServedPractice : IAsyncDisposable
{
    private readonly AsteriskInstance _asterisk;
    private readonly DateTimeOffset _clockStart;
    private readonly DateTimeOffset _realStart = DateTimeOffset.UtcNow;
    private readonly Dictionary<string, string> _settings;

    private ServedPractice(AsteriskInstance asterisk, DateTimeOffset clockStart, string database, IReadOnlyDictionary<string, string>? settings)
    {
        _asterisk = asterisk;
        _clockStart = clockStart;
        Database = database;
        _settings = new Dictionary<string, string>
        {
            ["Database:Path"] = database,
            ["Voicemail:StoragePath"] = VoicemailFolder,
            ["Asterisk:GeneratedConfigPath"] = asterisk.GeneratedPjsipPath,
            ["Asterisk:PhoneQualifySeconds"] = "0",
            // No /metrics nor /health unless a test asks (Web:Url): engines of parallel tests would share the default port.
            ["Web:Url"] = "",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) _settings[key] = value;
        Engine = Start();
    }

    /// <summary>The engine's voicemail folder (its own, beside the database).</summary>
    public string VoicemailFolder => Database + ".voicemail";

    /// <summary>The engine process running now (a new one after each restart).</summary>
    public PbxRouterProcess Engine { get; private set; }

    public string Database { get; }

    /// <summary>Starts the engine on an empty database, applies the tests' rules, and waits until the phones are provisioned.</summary>
    /// <param name="settings">More engine settings ("Section:Key", e.g. Notifications:DropFolder).</param>
    /// <param name="rules">Changes the tests' rules text before it is applied (e.g. a box's notify targets).</param>
    public static async Task<ServedPractice> StartAsync(AsteriskInstance asterisk, DateTimeOffset clockStart, string name,
        IReadOnlyDictionary<string, string>? settings = null, Func<string, string>? rules = null)
    {
        PracticeCalls.SetPasswords();
        var database = Path.Combine(Path.GetTempPath(), "pbxrouter-it", $"{asterisk.Name}-{name}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        var served = new ServedPractice(asterisk, clockStart, database, settings);
        await served.Engine.WaitForLineAsync("ARI events connected for application", "the engine connects");
        var rulesFile = Path.Combine(Path.GetDirectoryName(database)!, $"{asterisk.Name}-{name}-tilleuls-test.yaml");
        var text = PracticeCalls.RulesText(asterisk);
        await File.WriteAllTextAsync(rulesFile, rules is null ? text : rules(text));
        var applied = await ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "pbxrouter.dll"), "rules", "apply", rulesFile, "--db", database]);
        Assert.That(applied.ExitCode, Is.Zero, applied.Output);
        await served.Engine.WaitForLineAsync("Provisioned trunks and phones of rules version 1", "the engine provisions the rules' phones");
        return served;
    }

    /// <summary>
    /// Starts the engine on a database that already has the tests' rules (e.g. one restored by `pbxrouter restore`), its
    /// voicemail folder beside it (<see cref="VoicemailFolder"/>), and waits until the phones are provisioned.
    /// </summary>
    public static async Task<ServedPractice> OnDatabaseAsync(AsteriskInstance asterisk, DateTimeOffset clockStart, string database)
    {
        PracticeCalls.SetPasswords();
        var served = new ServedPractice(asterisk, clockStart, database, null);
        await served.Engine.WaitForLineAsync("Provisioned trunks and phones of rules version 1", "the engine provisions the rules' phones");
        return served;
    }

    /// <summary>
    /// Stops the engine (<paramref name="kill"/>: SIGKILL, nothing cleaned up; else SIGTERM, a graceful stop) and starts a
    /// new one on the same database; returns once it is connected to ARI again.
    /// </summary>
    public async Task RestartAsync(bool kill)
    {
        if (kill) Engine.Kill();
        else await Engine.TerminateAsync();
        await Engine.DisposeAsync();
        Engine = Start();
        await Engine.WaitForLineAsync("ARI events connected for application", "the new engine connects");
    }

    /// <summary>Registers the practice's phone from its own loopback address, then starts its SIPp listening there.</summary>
    public async Task<SippRun> PhoneAsync(string phone, string scenario, int calls = 1)
    {
        var (address, password) = phone switch
        {
            "accueil-1" => ("127.0.0.4", "PBXTEST_ACCUEIL1_PASSWORD"),
            "accueil-2" => ("127.0.0.5", "PBXTEST_ACCUEIL2_PASSWORD"),
            _ => throw new ArgumentException($"no SIPp address for phone {phone}", nameof(phone)),
        };
        var port = FreePorts.Udp(address);
        await Sipp.RegisterPhoneAsync(_asterisk, Calls.Provisioning.PjsipConfig.PhoneEndpoint("tilleuls", phone),
            Environment.GetEnvironmentVariable(password)!, address, port);
        return Sipp.Phone(scenario, address, port, calls);
    }

    /// <summary>Waits (bounded) until the call from <paramref name="caller"/> has a step of <paramref name="kind"/> in its record.</summary>
    public async Task WaitForStepAsync(string caller, string kind)
    {
        var records = new CallRecordRepository(new StoreDatabase(Database, TimeProvider.System), TimeProvider.System);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!(await records.RecentAsync(100)).Any(r => r.CallerNumber == caller && r.Steps.Any(s => s.Kind == kind)))
        {
            if (limit.IsCancellationRequested) Assert.Fail($"the call from {caller} never reached a '{kind}' step\n{Engine.Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>The record of the call from <paramref name="caller"/>, once it has ended (polled in the database, bounded).</summary>
    public async Task<CallRecord> FinishedRecordOfAsync(string caller)
    {
        var records = new CallRecordRepository(new StoreDatabase(Database, TimeProvider.System), TimeProvider.System);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var found = (await records.RecentAsync(100)).FirstOrDefault(r => r.CallerNumber == caller);
            if (found is { EndedAt: not null }) return found;
            if (limit.IsCancellationRequested) Assert.Fail($"no finished record of {caller}: {(found is null ? "none" : PracticeCalls.Describe(found))}\n{Engine.Output}");
            await Task.Delay(200);
        }
    }

    private PbxRouterProcess Start()
    {
        // The pinned clock runs on from where the previous engine's was, as a real clock would.
        var clock = _clockStart + (DateTimeOffset.UtcNow - _realStart);
        return PbxRouterProcess.Start("serve", _asterisk, _settings, "--create-database", "--clock-start", clock.ToString("O", CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync() => await Engine.DisposeAsync();
}
