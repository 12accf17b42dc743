using System.CommandLine;
using PbxRouter.Routing;
using PbxRouter.Calls.Prompts;
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
            var outcome = RulesValidation.Load(parse.GetValue(path)!, "rules apply", parse.GetValue(db));
            if (outcome is null) return ExitCodes.InvalidInput;
            if (outcome.Result.Errors.Count > 0 || outcome.Result.Rules is null)
            {
                if (parse.GetValue(json)) CliContext.WriteJson(RulesValidation.ToJson(outcome));
                else RulesValidation.PrintText(outcome);
                return ExitCodes.InvalidInput;
            }
            var compiled = outcome.Result.Rules;
            // Every text is spoken into its prompt before the version exists: calls never reach a prompt without audio.
            var prompts = RulesValidation.Prompts(Hosting.EngineSettings.Load(null), parse.GetValue(db));
            var (made, failed) = await prompts.EnsureAllAsync(PromptCatalog.Of(compiled.Model), ct);
            if (failed.Count > 0)
            {
                foreach (var (p, error) in failed)
                    Console.Out.WriteLine($"{p.At.File}:{p.At.Line}:{p.At.Column}: error: {p.At.Field}: prompt '{p.Name}' could not be made: {error} [{RuleErrorCodes.MissingAudio}]");
                Console.Out.WriteLine($"{failed.Count} prompt(s) without audio: nothing was applied");
                return ExitCodes.InvalidInput;
            }
            try
            {
                var database = await CliContext.OpenDatabaseAsync(parse.GetValue(db), ct);
                var version = await new RulesRepository(database, TimeProvider.System).ApplyAsync(new RulesApplication(
                    outcome.Files.Select(f => new RulesSourceFile(f.Path, f.Text)).ToList(), compiled.ToJson(), compiled.ContentHash,
                    parse.GetValue(by) ?? Environment.UserName, parse.GetValue(comment)), ct);
                if (parse.GetValue(json))
                    CliContext.WriteJson(new { applied = !version.Unchanged, version = version.Number, contentHash = version.ContentHash, warnings = outcome.Result.Warnings,
                        prompts = made.Select(o => new { name = o.Prompt.Name, did = o.Did, warning = o.Warning }) });
                else
                {
                    foreach (var w in outcome.Result.Warnings) Console.Out.WriteLine($"{w.File}:{w.Line}:{w.Column}: warning: {w.Field}: {w.Message}");
                    foreach (var o in made.Where(o => o.Warning is not null)) Console.Out.WriteLine($"{o.Prompt.At.Short}: warning: {o.Warning}");
                    Console.Out.WriteLine(version.Unchanged
                        ? $"Unchanged: version {version.Number} already has this content ({version.ContentHash[..12]})."
                        : $"Applied version {version.Number} ({version.ContentHash[..12]}) by {version.AppliedBy}: " +
                          $"{compiled.Model.Practices.Count} practice(s) from {outcome.Files.Count} file(s).");
                    Console.Out.WriteLine($"Prompts in {prompts.Folder}: {made.Count(o => o.Did == "spoken")} spoken, {made.Count(o => o.Did == "from cache")} from cache, " +
                                          $"{made.Count(o => o.Did == "up to date")} up to date, {made.Count(o => o.Did == "recorded")} recorded.");
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
