using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PbxRouter.Ari;
using PbxRouter.Calls.Phones;
using PbxRouter.Calls.Rules;
using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Support;

/// <summary>A call from one of the Tilleuls' phones (samples/rules/tilleuls.yaml) on a fake ARI, with a real SQLite store.</summary>
internal sealed class PhoneTestCall : IAsyncDisposable
{
    public const string Pin = "4321";
    /// <summary>The PIN of the tilleuls box (its pin_env TILLEULS_VOICEMAIL_PIN).</summary>
    public const string BoxPin = "2468";
    private readonly string _folder;
    private readonly bool _ownsFolder;

    private readonly CallEventQueues _queues = new((_, _) => ValueTask.CompletedTask, NullLogger.Instance);

    public FakeAri Fake { get; } = new();
    /// <summary>The call's clock: digit waits and prompt limits pass on it, not in real time.</summary>
    public FakeTimeProvider Time { get; }
    public PhoneCall Call { get; }
    public RuntimeStateRepository State { get; }
    /// <summary>The feature codes' PIN attempts and lockouts, on the call's clock (same database as <see cref="Pins"/>).</summary>
    public PinAttemptRepository CodePins { get; }
    public FeatureCodeOptions Options { get; }
    public VoicemailRepository Voicemails { get; }
    public FeatureCodeHandler Handler { get; }
    /// <summary>Every call from a phone: feature codes, outside numbers, extensions, refusals (records in <see cref="Records"/>).</summary>
    public PhoneCallRouter Router { get; }
    public CallRecordWriter Records { get; }
    public CallRecordRepository RecordsRead { get; }
    /// <summary>PIN attempts kept across calls (the *97 box lock).</summary>
    public PinAttemptRepository Pins { get; }

    /// <param name="state">The phone's channel state: "Up" for a call taken over from a previous engine.</param>
    /// <param name="storeFolder">The folder of another call's store, to share its SQLite database (PIN attempts across calls); kept at dispose.</param>
    /// <param name="time">The clock of the call and of the PIN attempts (default: a new one at FakeClock.Start).</param>
    public PhoneTestCall(string? phoneId, string dialled, string state = "Ring", string? storeFolder = null, FakeTimeProvider? time = null)
    {
        _ownsFolder = storeFolder is null;
        _folder = storeFolder ?? Path.Combine(Path.GetTempPath(), "pbxrouter-phone-" + Guid.NewGuid().ToString("N"));
        Time = time ?? new FakeTimeProvider(FakeClock.Start);
        Directory.CreateDirectory(_folder);
        var db = new StoreDatabase(Path.Combine(_folder, "pbxrouter.db"), TimeProvider.System);
        db.MigrateAsync().GetAwaiter().GetResult();
        State = new RuntimeStateRepository(db, TimeProvider.System);
        Voicemails = new VoicemailRepository(db, TimeProvider.System);
        var rules = new ActiveRules(new RulesRepository(db, TimeProvider.System), NullLogger<ActiveRules>.Instance);
        rules.Use(1, Tilleuls);
        var name = phoneId is null ? "PJSIP/trunk-00000007" : $"PJSIP/{PbxRouter.Calls.Provisioning.PjsipConfig.PhoneEndpoint("tilleuls", phoneId)}-00000007";
        if (phoneId is not null)
        {
            Fake.Variables[PhoneIdentity.PracticeVariable] = "tilleuls";
            Fake.Variables[PhoneIdentity.PhoneVariable] = phoneId;
        }
        Call = new PhoneCall(new CallServices(Fake.Client(Time), _queues, Time, NullLogger.Instance),
            new Channel { Id = "phone-1", Name = name, State = state }, dialled);
        Options = new FeatureCodeOptions
        {
            Secrets = v => v switch { "TILLEULS_DOCTORS_PIN" => Pin, "TILLEULS_VOICEMAIL_PIN" => BoxPin, _ => null },
        };
        var options = Options;
        CodePins = new PinAttemptRepository(db, Time);
        Records = new CallRecordWriter(db, TimeProvider.System);
        RecordsRead = new CallRecordRepository(db, TimeProvider.System);
        Pins = new PinAttemptRepository(db, TimeProvider.System);
        var voicemail = new PbxRouter.Calls.Flows.Voicemail.VoicemailExecutor(new PbxRouter.Calls.Flows.Voicemail.VoicemailIndex(
                new VoicemailImportRepository(db, TimeProvider.System),
                TestNotifier.Create(db).Notifier),
            new PbxRouter.Calls.Flows.Voicemail.VoicemailOptions());
        var dialing = new PhoneDialing(new EngineOptions(), new PbxRouter.Calls.Provisioning.ProvisioningOptions(),
            new PhoneCallOptions(), voicemail, NullLogger<PhoneDialing>.Instance);
        var listening = new VoicemailListening(Voicemails, new PbxRouter.Calls.Flows.Voicemail.AsteriskSpoolAudio(Fake.Client(Time)), Pins, options,
            dialing, Records, rules, NullLogger<VoicemailListening>.Instance);
        Handler = new FeatureCodeHandler(rules, new RuntimeModes(State), listening, CodePins, options, NullLogger<FeatureCodeHandler>.Instance);
        Router = new PhoneCallRouter(rules, Handler, dialing, Records, NullLogger<PhoneCallRouter>.Instance);
        // Every prompt ends at once, as if it were very short.
        Fake.On(@"^POST channels/phone-1/play/", line => Call.Deliver(Events.PlaybackFinished("phone-1", Events.PlaybackIdOf(line))));
    }

    /// <summary>Runs the feature-code handler on the call to its end, the fake clock running.</summary>
    public Task RunAsync() => Time.RunAsync(Handler.HandleAsync(Call, CancellationToken.None));

    /// <summary>The phone keys <paramref name="digits"/> each time it hears the PIN prompt.</summary>
    public void KeysAtPinPrompt(string digits) =>
        Fake.On(@"^POST channels/phone-1/play/.*code-entrez", _ =>
        {
            foreach (var d in digits) Call.Deliver(Events.Dtmf("phone-1", d.ToString()));
        });

    public async Task<string?> ModeAsync() =>
        (await State.GetModesAsync()).TryGetValue("tilleuls", out var m) ? m.Mode : null;

    private static readonly Lazy<CompiledRules> Compiled = new(() =>
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "samples", "rules", "tilleuls.yaml");
            if (File.Exists(path)) return RulesCompiler.Compile(RulesSource.Load(path)).Rules ?? throw new InvalidOperationException("tilleuls.yaml does not compile");
        }
        throw new FileNotFoundException("samples/rules/tilleuls.yaml not found above the test directory");
    });

    public static CompiledRules Tilleuls => Compiled.Value;

    /// <summary>Runs the phone call router (what the engine runs) on the call to its end, the fake clock running.</summary>
    public Task RouteAsync() => Time.RunAsync(Router.HandleAsync(Call, CancellationToken.None));

    /// <summary>The folder of this call's store (pass it to the next call to share the database).</summary>
    public string StoreFolder => _folder;

    public async ValueTask DisposeAsync()
    {
        await Records.DisposeAsync();
        await _queues.DisposeAsync();
        if (!_ownsFolder) return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
