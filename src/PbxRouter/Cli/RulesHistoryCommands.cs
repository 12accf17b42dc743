using System.CommandLine;
using PbxRouter.Store;

namespace PbxRouter.Cli;

/// <summary>`rules history` and `rules rollback N`: the append-only list of applied versions.</summary>
public static class RulesHistoryCommands
{
    public static Command History()
    {
        var db = CliContext.DatabaseOption();
        var json = CliContext.JsonOption();
        var limit = new Option<int>("--limit") { Description = "How many versions (newest first)", DefaultValueFactory = _ => 20 };
        var command = new Command("history", "List applied rules versions: number, when, who, content hash, comment.") { db, json, limit };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var database = await CliContext.OpenDatabaseAsync(parse.GetValue(db), ct);
                var versions = await new RulesRepository(database, TimeProvider.System).HistoryAsync(parse.GetValue(limit), ct);
                if (parse.GetValue(json)) { CliContext.WriteJson(versions); return ExitCodes.Ok; }
                if (versions.Count == 0) { Console.Out.WriteLine("No rules applied yet: pbxrouter rules apply PATH"); return ExitCodes.Ok; }
                Console.Out.WriteLine($"{"version",-8} {"applied at (UTC)",-20} {"by",-16} {"hash",-13} comment");
                foreach (var v in versions)
                    Console.Out.WriteLine($"{(v.IsActive ? "*" : " ")}{v.Number,-7} {v.AppliedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {Trim(v.AppliedBy, 16),-16} {v.ContentHash[..12],-13} {v.Comment}");
                Console.Out.WriteLine("* = in force");
                return ExitCodes.Ok;
            }
            catch (StoreException ex)
            {
                return CliContext.Fail("rules history", ex.Message, ExitCodes.Failure);
            }
        });
        return command;
    }

    public static Command Rollback()
    {
        var version = new Argument<int>("N") { Description = "The version to bring back (see `rules history`)" };
        var db = CliContext.DatabaseOption();
        var by = new Option<string?>("--by") { Description = "Who rolls back (default: the login name)" };
        var command = new Command("rollback", "Bring back version N as a new version (history is never rewritten).") { version, db, by };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var database = await CliContext.OpenDatabaseAsync(parse.GetValue(db), ct);
                var result = await new RulesRepository(database, TimeProvider.System)
                    .RollbackAsync(parse.GetValue(version), parse.GetValue(by) ?? Environment.UserName, ct);
                Console.Out.WriteLine(result.Unchanged
                    ? $"Unchanged: the content of version {parse.GetValue(version)} is already in force (version {result.Number})."
                    : $"Version {result.Number} is now in force: a copy of version {parse.GetValue(version)}.");
                return ExitCodes.Ok;
            }
            catch (RulesVersionNotFoundException)
            {
                return CliContext.Fail("rules rollback", $"there is no version {parse.GetValue(version)}: see `pbxrouter rules history`");
            }
            catch (StoreException ex)
            {
                return CliContext.Fail("rules rollback", ex.Message, ExitCodes.Failure);
            }
        });
        return command;
    }

    private static string Trim(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
