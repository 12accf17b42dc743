using PbxRouter.Calls.Prompts;
using PbxRouter.Hosting;
using PbxRouter.Routing;

namespace PbxRouter.Cli;

/// <summary>Loads and compiles a rules file or folder, and prints what is wrong, the way `rules validate` shows it.</summary>
public static class RulesValidation
{
    public sealed record Outcome(IReadOnlyList<RulesFile> Files, CompileResult Result);

    /// <summary>Null (after printing why) when the path holds no rules file.</summary>
    public static Outcome? Load(string path, string verb, string? database = null)
    {
        IReadOnlyList<RulesFile> files;
        try
        {
            files = RulesSource.Load(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or UnauthorizedAccessException or IOException)
        {
            Console.Error.WriteLine($"pbxrouter {verb}: {ex.Message}");
            return null;
        }
        // The trunks' transports are checked against what Asterisk offers, as the settings (file + environment) say.
        var settings = EngineSettings.Load(null);
        var result = RulesCompiler.Compile(files, settings.Provisioning.Sip.Transports());
        return new Outcome(files, result.Rules is { } rules && result.Errors.Count == 0 ? WithAudio(result, rules, Prompts(settings, database)) : result);
    }

    /// <summary>The prompts folder of the settings (beside the database unless Asterisk:PromptsPath says otherwise).</summary>
    public static PromptStore Prompts(EngineSettings settings, string? database) =>
        new(settings.Prompts.Folder(CliContext.DatabasePath(database)), new EspeakSox(), TimeProvider.System);

    /// <summary>Every greeting and message must have audio, or be speakable now: a missing one is an error at its line.</summary>
    private static CompileResult WithAudio(CompileResult result, CompiledRules rules, PromptStore store)
    {
        var missing = PromptCatalog.Of(rules.Model)
            .Select(p => (Prompt: p, Why: store.Missing(p))).Where(m => m.Why is not null)
            .Select(m => new RuleError(m.Prompt.At.File, m.Prompt.At.Line, m.Prompt.At.Column, m.Prompt.At.Field,
                $"prompt '{m.Prompt.Name}': {m.Why}.", "install espeak-ng and sox, or upload a recording (pbxrouter prompts upload NAME FILE.wav)",
                RuleErrorCodes.MissingAudio))
            .ToList();
        return missing.Count == 0 ? result : result with { Errors = [.. result.Errors, .. missing] };
    }

    public static void PrintText(Outcome outcome)
    {
        foreach (var e in outcome.Result.Errors) Console.Out.WriteLine(Line(e, "error"));
        foreach (var w in outcome.Result.Warnings) Console.Out.WriteLine(Line(w, "warning"));
        var r = outcome.Result;
        if (r.Rules is not null && r.Errors.Count == 0)
            Console.Out.WriteLine($"OK: {outcome.Files.Count} file(s), {r.Rules.Model.Practices.Count} practice(s), {r.Rules.Numbers.Count} number(s), " +
                                  $"{r.Warnings.Count} warning(s); content hash {r.Rules.ContentHash[..12]}");
        else
            Console.Out.WriteLine($"{r.Errors.Count} error(s), {r.Warnings.Count} warning(s) in {outcome.Files.Count} file(s): nothing was changed");
    }

    public static object ToJson(Outcome outcome) => new
    {
        valid = outcome.Result.Errors.Count == 0 && outcome.Result.Rules is not null,
        files = outcome.Files.Select(f => f.Path),
        practices = outcome.Result.Rules?.Model.Practices.Count ?? 0,
        contentHash = outcome.Result.Rules?.ContentHash,
        errors = outcome.Result.Errors,
        warnings = outcome.Result.Warnings,
    };

    private static string Line(RuleError e, string severity) =>
        $"{e.File}:{e.Line}:{e.Column}: {severity}: {e.Field}: {e.Message}{(e.Hint is null ? "" : $" Fix: {e.Hint}")} [{e.Code}]";
}
