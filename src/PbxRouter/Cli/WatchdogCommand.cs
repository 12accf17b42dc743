using System.CommandLine;
using Microsoft.Extensions.Hosting;
using PbxRouter.Watchdog;

namespace PbxRouter.Cli;

/// <summary>`pbxrouter watchdog`: a process apart from the engine that moves the callers a dead engine left in Stasis.</summary>
public static class WatchdogCommand
{
    public static Command Create()
    {
        var config = CliContext.ConfigOption();
        var command = new Command("watchdog",
            "Watch the engine's heartbeat in Asterisk; when it has stood still for Watchdog:Bound (20 s), move every caller the engine left in Stasis to the fallback route.")
        {
            config,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (CliContext.LoadSettings("watchdog", parse.GetValue(config)) is not { } settings) return ExitCodes.BadConfiguration;
            using var host = WatchdogHost.Build(settings);
            await host.RunAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
