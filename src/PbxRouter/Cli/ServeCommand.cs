using System.CommandLine;
using Microsoft.Extensions.Hosting;
using PbxRouter.Hosting;

namespace PbxRouter.Cli;

/// <summary>`pbxrouter serve`: the worker that controls every call over ARI until stopped.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var config = CliContext.ConfigOption();
        var clockStart = new Option<string?>("--clock-start")
        {
            Description = "Start the engine's clock at this instant and let it run (tests, demos), e.g. 2026-12-25T10:00:00+01:00.",
        };
        var command = new Command("serve", "Run the call engine: connect to Asterisk's ARI and route every call.") { config, clockStart };
        command.SetAction(async (parse, ct) =>
        {
            if (CliContext.LoadSettings("serve", parse.GetValue(config)) is not { } settings) return ExitCodes.BadConfiguration;
            TimeProvider? time = null;
            if (parse.GetValue(clockStart) is { } start)
            {
                if (!DateTimeOffset.TryParse(start, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at))
                {
                    Console.Error.WriteLine($"pbxrouter serve: --clock-start '{start}' is not a date and time with an offset (example: 2026-12-25T10:00:00+01:00)");
                    return ExitCodes.InvalidInput;
                }
                time = new PinnedClock(at);
            }
            using var host = EngineHost.Build(settings, time);
            await host.RunAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
