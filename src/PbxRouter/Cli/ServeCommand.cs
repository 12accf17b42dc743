using System.CommandLine;
using Microsoft.Extensions.Hosting;
using PbxRouter.Hosting;

namespace PbxRouter.Cli;

/// <summary>`pbxrouter serve`: the worker that controls every call over ARI until stopped.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config")
        {
            Description = "JSON settings file (default: /etc/pbxrouter/pbxrouter.json if present). Environment variables PBXROUTER_Section__Key override it.",
        };
        var command = new Command("serve", "Run the call engine: connect to Asterisk's ARI and route every call.") { config };
        command.SetAction(async (parse, ct) =>
        {
            var settings = EngineSettings.Load(parse.GetValue(config));
            if (settings.Problems.Count > 0)
            {
                foreach (var problem in settings.Problems) Console.Error.WriteLine($"pbxrouter serve: {problem}");
                return ExitCodes.BadConfiguration;
            }
            using var host = EngineHost.Build(settings);
            await host.RunAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
