using System.Diagnostics;

namespace PbxRouter.Calls.Prompts;

/// <summary>Speech and audio conversion (espeak-ng and sox); a port so the cache is tested without them.</summary>
public interface IAudioTools
{
    /// <summary>Null when the tools can run, else why not (e.g. "espeak-ng is not installed").</summary>
    string? Unavailable();

    /// <summary>Speaks <paramref name="text"/> in French into a WAV file (any rate).</summary>
    Task SpeakAsync(string text, string wavPath, CancellationToken ct);

    /// <summary>Writes what Asterisk plays: 8 kHz mono 16-bit WAV, and the same as raw μ-law and A-law.</summary>
    Task ConvertAsync(string inputWav, string wav8k, string ulaw, string alaw, CancellationToken ct);
}

/// <summary>espeak-ng (French voice) and sox, with the voice and format of scripts/asterisk.sh.</summary>
public sealed class EspeakSox : IAudioTools
{
    /// <summary>Changes whenever the voice or the format changes, so every prompt is spoken again.</summary>
    public const string Voice = "espeak-ng -v fr | sox -r 8000 -c 1 -b 16";

    public string? Unavailable()
    {
        foreach (var tool in new[] { "espeak-ng", "sox" })
            if (!OnPath(tool)) return $"{tool} is not installed (Debian package {tool}; scripts/asterisk.sh install installs it)";
        return null;
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, tool)));

    public Task SpeakAsync(string text, string wavPath, CancellationToken ct) => RunAsync("espeak-ng", ["-v", "fr", "-w", wavPath, text], ct);

    public async Task ConvertAsync(string inputWav, string wav8k, string ulaw, string alaw, CancellationToken ct)
    {
        await RunAsync("sox", [inputWav, "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", wav8k], ct).ConfigureAwait(false);
        await RunAsync("sox", [wav8k, "-t", "ul", ulaw], ct).ConfigureAwait(false);
        await RunAsync("sox", [wav8k, "-t", "al", alaw], ct).ConfigureAwait(false);
    }

    private static async Task RunAsync(string tool, string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new IOException($"{tool} did not start");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        if (process.ExitCode != 0) throw new IOException($"{tool} failed (exit {process.ExitCode}): {(await stderr.ConfigureAwait(false)).Trim()}");
    }
}
