using System.CommandLine;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Cli;

/// <summary>`pbxrouter rules validate|apply|history|rollback|show`: the routing rules IT staff edit as YAML.</summary>
public static class RulesCommand
{
    public static Command Create()
    {
        var rules = new Command("rules", "Validate, apply, list and roll back the routing rules (YAML).");
        rules.Subcommands.Add(Validate());
        rules.Subcommands.Add(Apply());
        rules.Subcommands.Add(RulesHistoryCommands.History());
        rules.Subcommands.Add(RulesHistoryCommands.Rollback());
        rules.Subcommands.Add(RulesShowCommand.Create());
        rules.Subcommands.Add(RulesPromptsCommand.Create());
        return rules;
    }

    private static Argument<string> PathArgument() =>
        new("PATH") { Description = "A rules file (.yaml) or a folder of them (one file per practice)" };

    private static Command Validate()
    {
        var path = PathArgument();
        var json = CliContext.JsonOption();
        var command = new Command("validate", "Check rules files; every error names file, line, column and field. Changes nothing.") { path, json };
        command.SetAction(parse =>
        {
            var outcome = RulesValidation.Load(parse.GetValue(path)!, "rules validate");
            if (outcome is null) return ExitCodes.InvalidInput;
            if (parse.GetValue(json)) CliContext.WriteJson(RulesValidation.ToJson(outcome));
            else RulesValidation.PrintText(outcome);
            return outcome.Result.Errors.Count == 0 ? ExitCodes.Ok : ExitCodes.InvalidInput;
        });
        return command;
    }

    private static Command Apply()
    {
        var path = PathArgument();
        var db = CliContext.DatabaseOption();
        var json = CliContext.JsonOption();
        var by = new Option<string?>("--by") { Description = "Who applies (default: the login name)" };
        var comment = new Option<string?>("--comment") { Description = "Why (kept in the history)" };
        var command = new Command("apply", "Validate, then store the rules as a new numbered version in one transaction. A running engine picks it up within a second; calls in progress keep their plan.")
            { path, db, json, by, comment };
        command.SetAction(async (parse, ct) =>
        {
            var outcome = RulesValidation.Load(parse.GetValue(path)!, "rules apply");
            if (outcome is null) return ExitCodes.InvalidInput;
            if (outcome.Result.Errors.Count > 0 || outcome.Result.Rules is null)
            {
                if (parse.GetValue(json)) CliContext.WriteJson(RulesValidation.ToJson(outcome));
                else RulesValidation.PrintText(outcome);
                return ExitCodes.InvalidInput;
            }
            var compiled = outcome.Result.Rules;
            try
            {
                var database = await CliContext.OpenDatabaseAsync(parse.GetValue(db), ct);
                var version = await new RulesRepository(database, TimeProvider.System).ApplyAsync(new RulesApplication(
                    outcome.Files.Select(f => new RulesSourceFile(f.Path, f.Text)).ToList(), compiled.ToJson(), compiled.ContentHash,
                    parse.GetValue(by) ?? Environment.UserName, parse.GetValue(comment)), ct);
                if (parse.GetValue(json))
                    CliContext.WriteJson(new { applied = !version.Unchanged, version = version.Number, contentHash = version.ContentHash, warnings = outcome.Result.Warnings });
                else
                {
                    foreach (var w in outcome.Result.Warnings) Console.Out.WriteLine($"{w.File}:{w.Line}:{w.Column}: warning: {w.Field}: {w.Message}");
                    Console.Out.WriteLine(version.Unchanged
                        ? $"Unchanged: version {version.Number} already has this content ({version.ContentHash[..12]})."
                        : $"Applied version {version.Number} ({version.ContentHash[..12]}) by {version.AppliedBy}: " +
                          $"{compiled.Model.Practices.Count} practice(s) from {outcome.Files.Count} file(s).");
                }
                return ExitCodes.Ok;
            }
            catch (StoreException ex)
            {
                return CliContext.Fail("rules apply", $"{ex.Message} (nothing was applied)", ExitCodes.Failure);
            }
        });
        return command;
    }
}
