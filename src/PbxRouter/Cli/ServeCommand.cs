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
        var createDatabase = new Option<bool>("--create-database")
        {
            Description = "Create the database (Database:Path) when it does not exist; without it, a missing database is refused (a mistyped path would start an engine with no rules).",
        };
        var command = new Command("serve", "Run the call engine: connect to Asterisk's ARI and route every call.") { config, clockStart, createDatabase };
        command.SetAction(async (parse, ct) =>
        {
            if (CliContext.LoadSettings("serve", parse.GetValue(config)) is not { } settings) return ExitCodes.BadConfiguration;
            if (!parse.GetValue(createDatabase) && MissingDatabase(settings.DatabasePath) is { } missing)
            {
                Console.Error.WriteLine($"pbxrouter serve: {missing}");
                return ExitCodes.BadConfiguration;
            }
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

    /// <summary>Why the engine must not start on <paramref name="path"/> without --create-database, or null when the database is there.</summary>
    public static string? MissingDatabase(string path) => File.Exists(path) ? null
        : $"the database {Path.GetFullPath(path)} (Database:Path, PBXROUTER_Database__Path) does not exist. Check the path, "
          + "or apply rules first (pbxrouter rules apply PATH --db FILE creates it), or pass --create-database to start with an empty one.";
}
