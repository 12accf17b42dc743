using PbxRouter.Calls.Provisioning;
using PbxRouter.Hosting;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;

namespace PbxRouter.IntegrationTests.Flows;

/// <summary>
/// A real Asterisk provisioned with Rules/tilleuls-test.yaml, an engine whose clock is pinned to the test's time,
/// reception phones that register (SIPp) and the remote secretariat on the trunk (SIPp).
/// </summary>
public sealed class PracticeCalls : IAsyncDisposable
{
    public const string PracticeNumber = "+33145000000";
    public const string SecretariatNumber = "+33567000000";
    public const string RoundRobinLine = "+33145000009";
    public const string BusyWaitLine = "+33145000008";
    public const string NobodyRegisteredLine = "+33145000007";

    /// <summary>Tuesday 24 November 2026, local times in Paris (UTC+1).</summary>
    public static readonly DateTimeOffset Open = DateTimeOffset.Parse("2026-11-24T10:00:00+01:00");
    public static readonly DateTimeOffset Lunch = DateTimeOffset.Parse("2026-11-24T13:00:00+01:00");
    public static readonly DateTimeOffset Evening = DateTimeOffset.Parse("2026-11-24T19:30:00+01:00");
    public static readonly DateTimeOffset Night = DateTimeOffset.Parse("2026-11-24T22:00:00+01:00");
    public static readonly DateTimeOffset Christmas = DateTimeOffset.Parse("2026-12-25T10:00:00+01:00");

    private static readonly Dictionary<string, string> Passwords = new()
    {
        ["accueil-1"] = "PBXTEST_ACCUEIL1_PASSWORD",
        ["accueil-2"] = "PBXTEST_ACCUEIL2_PASSWORD",
        ["dr-martin"] = "PBXTEST_DRMARTIN_PASSWORD",
    };

    private readonly Dictionary<string, (string Address, int Port)> _phones = new()
    {
        ["accueil-1"] = ("127.0.0.4", FreePorts.Udp("127.0.0.4")),
        ["accueil-2"] = ("127.0.0.5", FreePorts.Udp("127.0.0.5")),
        ["dr-martin"] = ("127.0.0.6", FreePorts.Udp("127.0.0.6")),
    };

    private PracticeCalls(AsteriskInstance asterisk, EngineUnderTest engine)
    {
        Asterisk = asterisk;
        Engine = engine;
    }

    public AsteriskInstance Asterisk { get; }
    public EngineUnderTest Engine { get; private set; }

    /// <summary>The rules text of the tests, pointing the trunk at this Asterisk's SIPp carrier.</summary>
    public static string RulesText(AsteriskInstance asterisk) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Rules", "tilleuls-test.yaml")).Replace("@@TRUNK_PORT@@", asterisk.TrunkPort.ToString());

    /// <summary>Sets the phones' passwords in this process's environment (the engine reads them when provisioning).</summary>
    public static void SetPasswords()
    {
        foreach (var (phone, variable) in Passwords)
            Environment.SetEnvironmentVariable(variable, $"pw-{phone}-{Environment.ProcessId}");
    }

    /// <param name="rules">Rules of the test's own (default: <see cref="RulesText"/>).</param>
    public static async Task<PracticeCalls> StartAsync(AsteriskInstance asterisk, DateTimeOffset at, string? databasePath = null, string? rules = null)
    {
        SetPasswords();
        var engine = await EngineUnderTest.StartAsync(asterisk, databasePath, time: new PinnedClock(at), provision: true);
        await engine.ApplyRulesAsync("tilleuls-test.yaml", rules ?? RulesText(asterisk));
        return new PracticeCalls(asterisk, engine);
    }

    /// <summary>Registers the phone, then starts its SIPp listening where it registered.</summary>
    /// <param name="keys">Scenario keys (-key NAME VALUE), e.g. the transfer's target.</param>
    public async Task<SippRun> PhoneAsync(string phone, string scenario, IReadOnlyDictionary<string, string>? keys = null)
    {
        var (address, port) = _phones[phone];
        await Sipp.RegisterPhoneAsync(Asterisk, PjsipConfig.PhoneEndpoint("tilleuls", phone), Environment.GetEnvironmentVariable(Passwords[phone])!, address, port);
        return Sipp.Phone(scenario, address, port, keys: keys);
    }

    /// <summary>Registers the phone, then starts its two lines (an attended transfer: line 1 talks to the patient, line 2 consults).</summary>
    public async Task<(SippRun Line1, SippRun Line2)> PhoneTwoLinesAsync(string phone, string line1Scenario, string line2Scenario,
        IReadOnlyDictionary<string, string> keys)
    {
        var (address, port) = _phones[phone];
        var endpoint = PjsipConfig.PhoneEndpoint("tilleuls", phone);
        var password = Environment.GetEnvironmentVariable(Passwords[phone])!;
        await Sipp.RegisterPhoneAsync(Asterisk, endpoint, password, address, port);
        return await Sipp.PhoneTwoLinesAsync(Asterisk, endpoint, password, address, port, line1Scenario, line2Scenario, keys);
    }

    /// <summary>
    /// The phone dials <paramref name="dialled"/> (a UAC from the phone's address on a port of its own, with its password;
    /// it need not be registered): phone-calls-out.xml talks for <paramref name="holdMs"/> once answered, then hangs up.
    /// </summary>
    public SippRun Dial(string phone, string dialled, string scenario = "phone-calls-out.xml", int holdMs = 1000)
    {
        var address = _phones[phone].Address;
        var endpoint = PjsipConfig.PhoneEndpoint("tilleuls", phone);
        return SippRun.Start($"dial-{endpoint}", scenario,
        [
            "-s", dialled, "-key", "phone", endpoint, "-au", endpoint, "-ap", Environment.GetEnvironmentVariable(Passwords[phone])!,
            "-d", holdMs.ToString(), "-i", address, "-p", FreePorts.Udp(address).ToString(), $"127.0.0.1:{Asterisk.SipPort}",
        ], countsAsCall: true);
    }

    /// <summary>The finished call from <paramref name="caller"/> and its record in SQLite.</summary>
    public async Task<CallRecord> RecordOfAsync(string caller)
    {
        var call = await Engine.WaitForCallAsync(c => c.CallerNumber == caller);
        return await Engine.WaitForRecordAsync(call.CallId);
    }

    /// <summary>The record of the one call this engine took (for callers whose number Asterisk rewrote or dropped).</summary>
    public async Task<CallRecord> OnlyRecordAsync()
    {
        var call = await Engine.WaitForCallAsync(_ => true);
        return await Engine.WaitForRecordAsync(call.CallId);
    }

    public static string Describe(CallRecord r) =>
        $"outcome {r.Outcome}, answered by {r.AnsweredBy}, hung up by {r.HungUpBy}; steps:\n"
        + string.Join("\n", r.Steps.Select(s => $"  {s.Sequence}. {s.Kind} {s.Target} {s.Detail}"));

    public async ValueTask DisposeAsync() => await Engine.DisposeAsync();
}
