using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Fallback;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Provisioning;

/// <summary>
/// Writes the rules' trunks and phones to the generated PJSIP file, and the practices' fallback routes to the generated
/// dialplan next to it (each atomically), then makes Asterisk reload res_pjsip and pbx_config.
/// </summary>
public sealed class AsteriskProvisioner(
    AriClient ari, ProvisioningOptions options, EngineOptions engine, VoicemailOptions voicemail, ILogger<AsteriskProvisioner> logger,
    Rules.ModeLamps? lamps = null)
{
    private volatile int _provisioned;

    /// <summary>The rules version Asterisk last took (0: none, or Asterisk restarted since).</summary>
    public int ProvisionedVersion => _provisioned;

    /// <summary>Asterisk (re)connected: provision again, it may have restarted with an older file.</summary>
    public void Reset() => _provisioned = 0;

    /// <summary>Rewrites the file and reloads PJSIP; throws <see cref="AriException"/> when Asterisk cannot be reached.</summary>
    public async Task ApplyAsync(CompiledRules rules, int version, CancellationToken ct)
    {
        if (!options.Enabled) return;
        var (text, problems) = PjsipConfig.Generate(rules.Model, Environment.GetEnvironmentVariable, options.PhoneQualifySeconds, options.Sip.Transports());
        foreach (var problem in problems) logger.LogWarning("Provisioning: {Problem}", problem);
        await WriteAtomicallyAsync(options.GeneratedConfigPath, text, ct);
        await ari.AsteriskInfo.ReloadModuleAsync("res_pjsip.so", ct);
        var settings = new FallbackDialplanSettings(engine.DefaultTrunk, engine.OverflowRingTime, voicemail.MaxSilenceSeconds, voicemail.MaxDurationSeconds);
        var (dialplan, dialplanProblems) = FallbackDialplan.Generate(rules.Fallbacks, settings);
        foreach (var problem in dialplanProblems) logger.LogWarning("Fallback routes: {Problem}", problem);
        var (emergency, emergencyProblems) = Phones.EmergencyDialplan.Generate(rules.Model, engine.DefaultTrunk);
        foreach (var problem in emergencyProblems) logger.LogWarning("Emergency routes: {Problem}", problem);
        await WriteAtomicallyAsync(options.GeneratedDialplanPath, dialplan + emergency + Rules.ModeLamps.Dialplan(rules.Model), ct);
        await ari.AsteriskInfo.ReloadModuleAsync("pbx_config.so", ct);
        if (lamps is not null) await lamps.SetAllAsync(rules, ct);
        _provisioned = version;
        logger.LogInformation("Provisioned trunks and phones of rules version {Version} into {Path}; res_pjsip reloaded", version, options.GeneratedConfigPath);
        logger.LogInformation("Fallback routes of {Count} practices and lines written to {Path}; dialplan reloaded", rules.Fallbacks.Count, options.GeneratedDialplanPath);
    }

    private static async Task WriteAtomicallyAsync(string path, string text, CancellationToken ct)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        // It holds SIP passwords: readable by its owner and group (Asterisk's) only.
        var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        await using (var stream = new FileStream(temp, file))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(text.AsMemory(), ct);
        }
        if (Environment.UserName == "root") await OwnLikeFolderAsync(temp, folder, ct);
        File.Move(temp, path, overwrite: true);
    }

    // Root writes the file for an Asterisk running as its own user: give the file the folder's owner.
    private static async Task OwnLikeFolderAsync(string file, string folder, CancellationToken ct)
    {
        using var chown = Process.Start(new ProcessStartInfo("chown", ["--reference", folder, file]) { UseShellExecute = false });
        if (chown is not null) await chown.WaitForExitAsync(ct);
    }
}
