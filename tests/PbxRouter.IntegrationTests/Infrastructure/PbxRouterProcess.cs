using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace PbxRouter.IntegrationTests.Infrastructure;

/// <summary>
/// `pbxrouter VERB` as a child process of the test: this build's executable (pbxrouter.dll next to the tests), settings in
/// its environment (never on its command line), output captured. <see cref="Kill"/> is a real kill -9: nothing is cleaned up.
/// </summary>
public sealed class PbxRouterProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PbxRouterProcess(string verb, IReadOnlyDictionary<string, string> env, IEnumerable<string> args)
    {
        Verb = verb;
        _process = ProcessRunner.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "pbxrouter.dll"), verb, .. args], env, _output);
    }

    public string Verb { get; }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts `pbxrouter VERB ARGS` against <paramref name="asterisk"/>; <paramref name="settings"/> are "Section:Key" values.</summary>
    public static PbxRouterProcess Start(string verb, AsteriskInstance asterisk, IReadOnlyDictionary<string, string> settings, params string[] args)
    {
        var env = new Dictionary<string, string>
        {
            ["PBXROUTER_Ari__Url"] = asterisk.AriUrl.ToString(),
            ["PBXROUTER_Ari__User"] = AsteriskInstance.AriUser,
            ["PBXROUTER_Ari__Password"] = asterisk.AriPassword,
            ["PBXROUTER_Ari__Application"] = asterisk.AriApp,
            ["PBXROUTER_Logging__Level"] = "Debug",
        };
        foreach (var (key, value) in settings) env["PBXROUTER_" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        return new PbxRouterProcess(verb, env, args);
    }

    /// <summary>The first output line matching <paramref name="pattern"/> (bounded wait; fails if the process ends first).</summary>
    public async Task<Match> WaitForLineAsync(string pattern, string what)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var match = regex.Match(Output);
            if (match.Success) return match;
            if (_process.HasExited) Assert.Fail($"pbxrouter {Verb} exited ({_process.ExitCode}) before: {what}\n{Output}");
            if (limit.IsCancellationRequested) Assert.Fail($"timed out waiting for pbxrouter {Verb}: {what}\n{Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL, as `kill -9`: the process gets no chance to close its WebSocket or hand calls over.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as systemd stops a service: the engine stops gracefully; waits (bounded) for it to exit.</summary>
    public async Task TerminateAsync()
    {
        if (_process.HasExited) return;
        var sent = await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.That(sent.ExitCode, Is.Zero, sent.Output);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(limit.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
