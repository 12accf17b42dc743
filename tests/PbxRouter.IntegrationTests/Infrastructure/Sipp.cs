using System.Diagnostics;
using System.Text;

namespace PbxRouter.IntegrationTests.Infrastructure;

/// <summary>SIPp (Debian sip-tester) playing the patient, the phones or the remote secretariat.</summary>
public static class Sipp
{
    /// <summary>The patient calls `called` from `caller` through the trunk (source address 127.0.0.2).</summary>
    public static SippRun Patient(AsteriskInstance asterisk, string scenario, string called, string caller, int holdMs = 1000) =>
        SippRun.Start("patient", scenario,
        [
            "-s", called, "-key", "caller", caller, "-d", holdMs.ToString(),
            "-i", AsteriskInstance.TrunkPeer, "-p", FreePorts.Udp(AsteriskInstance.TrunkPeer).ToString(),
            $"127.0.0.1:{asterisk.SipPort}",
        ], countsAsCall: true);

    /// <summary>
    /// A caller on the trunk's address with scenario keys of the test's choosing (e.g. "from_uri", "display" of
    /// patient-caller-id.xml); <paramref name="called"/> goes into the Request-URI as it is.
    /// </summary>
    public static SippRun Caller(AsteriskInstance asterisk, string scenario, string called, IReadOnlyDictionary<string, string> keys, int holdMs = 1000) =>
        SippRun.Start("patient", scenario,
        [
            "-s", called, .. keys.SelectMany(k => new[] { "-key", k.Key, k.Value }), "-d", holdMs.ToString(),
            "-i", AsteriskInstance.TrunkPeer, "-p", FreePorts.Udp(AsteriskInstance.TrunkPeer).ToString(),
            $"127.0.0.1:{asterisk.SipPort}",
        ], countsAsCall: true);

    /// <summary>A reception phone registers from <paramref name="address"/>:<paramref name="port"/> (digest auth); the phone's SIPp then listens there.</summary>
    public static async Task RegisterPhoneAsync(AsteriskInstance asterisk, string endpoint, string password, string address, int port)
    {
        var result = await TryRegisterPhoneAsync(asterisk, endpoint, password, address, port);
        Assert.That(result.Succeeded, $"phone {endpoint} could not register: {result}");
    }

    /// <summary>A registration attempt; Succeeded is false when Asterisk refused it.</summary>
    public static Task<SippResult> TryRegisterPhoneAsync(AsteriskInstance asterisk, string endpoint, string password, string address, int port) =>
        SippRun.Start($"register-{endpoint}", "phone-register.xml",
            ["-s", endpoint, "-au", endpoint, "-ap", password, "-i", address, "-p", port.ToString(), $"127.0.0.1:{asterisk.SipPort}"],
            countsAsCall: false).WaitAsync();

    /// <summary>A registered reception phone (SIPp UAS on its own address and port): answers or rings, per scenario, <paramref name="calls"/> calls.</summary>
    public static SippRun Phone(string scenario, string address, int port, int calls = 1, IReadOnlyDictionary<string, string>? keys = null) =>
        SippRun.Start($"phone-{address}-{port}", scenario,
            ["-i", address, "-p", port.ToString(), .. (keys ?? new Dictionary<string, string>()).SelectMany(k => new[] { "-key", k.Key, k.Value })],
            countsAsCall: false, calls);

    /// <summary>
    /// A phone's two lines for an attended transfer, as two SIPp twins talking over SIPp's 3PCC socket: line 2
    /// (<paramref name="line2Scenario"/>, a UAC calling from the phone's address on a port of its own, with its password)
    /// listens for line 1's commands; line 1 (<paramref name="line1Scenario"/>, the UAS where the phone registered) connects
    /// to it when it starts, so it is started once line 2 listens.
    /// </summary>
    public static async Task<(SippRun Line1, SippRun Line2)> PhoneTwoLinesAsync(AsteriskInstance asterisk, string endpoint, string password,
        string address, int port, string line1Scenario, string line2Scenario, IReadOnlyDictionary<string, string> keys)
    {
        var twin = $"127.0.0.1:{FreePorts.Tcp()}";
        var line2 = SippRun.Start($"line2-{endpoint}", line2Scenario,
        [
            "-3pcc", twin, "-key", "phone", endpoint, "-au", endpoint, "-ap", password,
            "-i", address, "-p", FreePorts.Udp(address).ToString(), $"127.0.0.1:{asterisk.SipPort}",
        ], countsAsCall: true);
        await WaitUntilListeningAsync(twin);
        var line1 = SippRun.Start($"line1-{endpoint}", line1Scenario,
            ["-3pcc", twin, "-i", address, "-p", port.ToString(), .. keys.SelectMany(k => new[] { "-key", k.Key, k.Value })], countsAsCall: false);
        return (line1, line2);
    }

    /// <summary>
    /// Waits until a TCP socket listens on <paramref name="address"/> (read from /proc/net/tcp: a test connection would be
    /// taken by SIPp as its twin). Bounded so that a SIPp that never starts fails the test instead of hanging it.
    /// </summary>
    private static async Task WaitUntilListeningAsync(string address)
    {
        var port = int.Parse(address[(address.LastIndexOf(':') + 1)..]);
        // SIPp listens on every address (0.0.0.0) whatever address -3pcc names; state 0A is LISTEN.
        var wanted = $":{port:X4} 00000000:0000 0A";
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!(await File.ReadAllTextAsync("/proc/net/tcp")).Contains(wanted, StringComparison.Ordinal))
        {
            if (limit.IsCancellationRequested) Assert.Fail($"SIPp's 3PCC twin never listened on {address}");
            await Task.Delay(50);
        }
    }

    /// <summary>A stranger at <paramref name="address"/> calls <paramref name="called"/> with <paramref name="fromUser"/> as From user (stranger-invite.xml).</summary>
    public static SippRun Stranger(AsteriskInstance asterisk, string fromUser, string address, string called = "+33145000000") =>
        SippRun.Start("stranger", "stranger-invite.xml",
            ["-s", called, "-key", "caller", fromUser, "-i", address, "-p", FreePorts.Udp(address).ToString(), $"127.0.0.1:{asterisk.SipPort}"],
            countsAsCall: true);

    /// <summary>Waits for every run (patient first, then its peers) and asserts that each one succeeded.</summary>
    public static async Task<SippResult[]> AllSucceedAsync(params SippRun[] runs)
    {
        var results = new SippResult[runs.Length];
        for (var i = 0; i < runs.Length; i++) results[i] = await runs[i].WaitAsync();
        foreach (var result in results) Assert.That(result.Succeeded, result.ToString());
        return results;
    }

    /// <summary>The INVITE the remote secretariat received, once the patient's call and the secretariat's run both succeeded.</summary>
    public static async Task<string> InviteAtSecretariatAsync(SippRun patient, SippRun secretariat)
    {
        var results = await AllSucceedAsync(patient, secretariat);
        var invite = results[1].Received("INVITE");
        Assert.That(invite, Is.Not.Null, results[1].Messages);
        return invite!;
    }

    /// <summary>The remote secretariat behind the trunk: answers one call on the trunk's address (on <paramref name="port"/>, else the trunk's port).</summary>
    public static SippRun Secretariat(AsteriskInstance asterisk, string scenario = "secretariat-answers.xml", int? port = null) =>
        SippRun.Start("secretariat", scenario,
            ["-i", AsteriskInstance.TrunkPeer, "-p", (port ?? asterisk.TrunkPort).ToString()], countsAsCall: false);
}

/// <summary>One running SIPp; WaitAsync returns its exit code, output and the SIP messages it saw.</summary>
public sealed class SippRun
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _messageFile;
    private readonly string _errorFile;
    private readonly string _role;
    private readonly bool _countsAsCall;

    private SippRun(string role, string messageFile, bool countsAsCall, Func<StringBuilder, Process> start)
    {
        _role = role;
        _messageFile = messageFile;
        _errorFile = Path.Combine(Path.GetDirectoryName(messageFile)!, $"{role}-errors.log");
        _countsAsCall = countsAsCall;
        _process = start(_output);
    }

    internal static SippRun Start(string role, string scenario, IEnumerable<string> specific, bool countsAsCall, int calls = 1)
    {
        var dir = Path.Combine(Path.GetTempPath(), "pbxrouter-sipp", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var messages = Path.Combine(dir, $"{role}-messages.log");
        string[] common =
        [
            "-sf", RepoPaths.Scenario(scenario), "-m", calls.ToString(), "-nostdin", "-bind_local",
            "-timeout", "90s", "-timeout_error", "-mp", FreePorts.Udp().ToString(),
            "-trace_msg", "-message_file", messages, "-trace_err", "-error_file", Path.Combine(dir, $"{role}-errors.log"),
        ];
        if (countsAsCall) SipCallTally.Placed();
        return new SippRun(role, messages, countsAsCall,
            output => ProcessRunner.Start("sipp", [.. common, .. specific], null, output));
    }

    public async Task<SippResult> WaitAsync(CancellationToken ct = default)
    {
        await _process.WaitForExitAsync(ct);
        var messages = File.Exists(_messageFile) ? await File.ReadAllTextAsync(_messageFile, ct) : "";
        string output;
        lock (_output) output = _output.ToString();
        if (File.Exists(_errorFile)) output += "\nSIPp errors:\n" + await File.ReadAllTextAsync(_errorFile, ct);
        var result = new SippResult(_role, _process.ExitCode, output, messages);
        if (_countsAsCall && result.Succeeded) SipCallTally.Passed();
        return result;
    }

    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }
}

/// <summary>What a SIPp run did: exit code 0 only when every call of its scenario succeeded.</summary>
public sealed record SippResult(string Role, int ExitCode, string Output, string Messages)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The first received SIP request of this method (e.g. the INVITE the secretariat got).</summary>
    public string? Received(string method) => ReceivedAll(method).FirstOrDefault();

    /// <summary>Every received SIP request of this method, in the order they came.</summary>
    public IEnumerable<string> ReceivedAll(string method)
    {
        foreach (var block in Messages.Split("----------------------------------------------- "))
        {
            var marker = block.IndexOf("message received", StringComparison.Ordinal);
            if (marker < 0) continue;
            var lineEnd = block.IndexOf('\n', marker);
            var body = lineEnd < 0 ? "" : block[(lineEnd + 1)..];
            if (body.TrimStart().StartsWith(method + " ", StringComparison.Ordinal)) yield return body.Trim();
        }
    }

    public override string ToString() => $"SIPp {Role} exit {ExitCode}\n{Output}";
}
