using System.CommandLine;

namespace PbxRouter.Cli;

/// <summary>The `pbxrouter` command line: one verb per job.</summary>
public static class CliRoot
{
    public static RootCommand Create()
    {
        var root = new RootCommand("PbxRouter: call routing for medical practices, controlling Asterisk over ARI.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(WatchdogCommand.Create());
        root.Subcommands.Add(RulesCommand.Create());
        root.Subcommands.Add(PromptsCommand.Create());
        root.Subcommands.Add(RouteCommand.Create());
        root.Subcommands.Add(CallsCommand.Create());
        root.Subcommands.Add(VoicemailCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(ConsoleCommand.Create());
        root.Subcommands.Add(BackupCommand.CreateBackup());
        root.Subcommands.Add(BackupCommand.CreateRestore());
        return root;
    }
}
