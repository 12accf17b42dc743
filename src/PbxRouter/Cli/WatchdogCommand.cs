using System.CommandLine;
using Microsoft.Extensions.Hosting;
using PbxRouter.Hosting;
using PbxRouter.Watchdog;

namespace PbxRouter.Cli;

/// <summary>`pbxrouter watchdog`: a process apart from the engine that moves the callers a dead engine left in Stasis.</summary>
public static class WatchdogCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config")
        {
            Description = "JSON settings file, the same as `serve` (default: /etc/pbxrouter/pbxrouter.json if present). Environment variables PBXROUTER_Section__Key override it.",
        };
        var command = new Command("watchdog",
            "Watch the engine's heartbeat in Asterisk; when it has stood still for Watchdog:Bound (20 s), move every caller the engine left in Stasis to the fallback route.")
        {
            config,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = EngineSettings.Load(parse.GetValue(config));
            if (settings.Problems.Count > 0)
            {
                foreach (var problem in settings.Problems) Console.Error.WriteLine($"pbxrouter watchdog: {problem}");
                return ExitCodes.BadConfiguration;
            }
            using var host = WatchdogHost.Build(settings);
            await host.RunAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
