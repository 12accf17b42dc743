using System.Diagnostics;
using System.Text;

namespace PbxRouter.IntegrationTests.Infrastructure;

/// <summary>Runs an external program (scripts, SIPp) and captures its output.</summary>
public static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Output);

    public static Process Start(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env, StringBuilder output)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, CancellationToken ct = default)
    {
        var output = new StringBuilder();
        using var process = Start(file, args, env, output);
        await process.WaitForExitAsync(ct);
        lock (output) return new Result(process.ExitCode, output.ToString());
    }
}
