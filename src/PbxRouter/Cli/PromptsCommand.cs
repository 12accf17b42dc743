using System.CommandLine;
using PbxRouter.Calls.Prompts;
using PbxRouter.Hosting;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Cli;

/// <summary>`pbxrouter prompts list|upload`: the audio of the greetings and messages of the rules in force.</summary>
public static class PromptsCommand
{
    public static Command Create()
    {
        var prompts = new Command("prompts", "The greetings and messages callers hear: list them, or replace one with a recorded voice.");
        prompts.Subcommands.Add(List());
        prompts.Subcommands.Add(Upload());
        return prompts;
    }

    /// <summary>The prompts of the rules in force; null (after printing why) when no rules were applied.</summary>
    private static async Task<IReadOnlyList<PromptText>?> InForceAsync(string? db, CancellationToken ct)
    {
        var repository = new RulesRepository(await CliContext.OpenDatabaseAsync(db, ct), TimeProvider.System);
        var active = await repository.ActiveVersionNumberAsync(ct);
        if (await repository.GetAsync(active, ct) is not { } stored)
        {
            Console.Error.WriteLine("pbxrouter prompts: no rules applied yet (pbxrouter rules apply PATH first)");
            return null;
        }
        return PromptCatalog.Of(CompiledRules.FromJson(stored.CompiledJson).Model);
    }

    private static Command List()
    {
        var db = CliContext.DatabaseOption();
        var json = CliContext.JsonOption();
        var command = new Command("list", "Each prompt of the rules in force: its name, whether its audio is spoken or recorded and up to date, its text.") { db, json };
        command.SetAction(async (parse, ct) =>
        {
            if (await InForceAsync(parse.GetValue(db), ct) is not { } all) return ExitCodes.InvalidInput;
            var store = RulesValidation.Prompts(EngineSettings.Load(null), parse.GetValue(db));
            var rows = all.Select(p => (Prompt: p, Audio: store.Read(p.Name), Current: store.IsUpToDate(p))).ToList();
            if (parse.GetValue(json))
                CliContext.WriteJson(rows.Select(r => new { name = r.Prompt.Name, text = r.Prompt.Text, source = r.Audio?.Source, upToDate = r.Current, file = store.FileOf(r.Prompt.Name, "wav") }));
            else
                foreach (var r in rows)
                    Console.Out.WriteLine($"{r.Prompt.Name,-32} {(r.Current ? r.Audio!.Source : "MISSING"),-9} \"{r.Prompt.Text}\"");
            return rows.All(r => r.Current) ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static Command Upload()
    {
        var name = new Argument<string>("NAME") { Description = "The prompt's name (pbxrouter prompts list): its sound, or e.g. tilleuls/greeting, tilleuls/message-closed" };
        var file = new Argument<FileInfo>("FILE") { Description = "A PCM WAV recording (any rate, mono or stereo, at most 5 minutes)" };
        var db = CliContext.DatabaseOption();
        var command = new Command("upload", "Replace a prompt's spoken text with a recorded voice: the WAV is checked, then converted with sox to what Asterisk plays (8 kHz mono, μ-law, A-law).")
            { name, file, db };
        command.SetAction(async (parse, ct) =>
        {
            if (await InForceAsync(parse.GetValue(db), ct) is not { } all) return ExitCodes.InvalidInput;
            var wanted = parse.GetValue(name)!;
            if (all.FirstOrDefault(p => p.Name == wanted) is not { } prompt)
            {
                var hint = PromptCatalog.DidYouMean(wanted, all.Select(p => p.Name)) is { } s ? $" {s}" : "";
                return CliContext.Fail("prompts upload", $"no greeting or message of the rules in force is called '{wanted}'.{hint} (pbxrouter prompts list shows them)", ExitCodes.InvalidInput);
            }
            try
            {
                var store = RulesValidation.Prompts(EngineSettings.Load(null), parse.GetValue(db));
                var audio = await store.UploadAsync(prompt, parse.GetValue(file)!.FullName, ct);
                Console.Out.WriteLine($"Prompt '{prompt.Name}' is now the recording {parse.GetValue(file)!.Name} ({store.FileOf(prompt.Name, "wav")}, sha256 {audio.AudioSha256[..12]}). " +
                                      $"It must say: \"{prompt.Text}\"; if that text changes, the spoken text replaces it until a new recording is uploaded.");
                return ExitCodes.Ok;
            }
            catch (PromptException ex)
            {
                return CliContext.Fail("prompts upload", ex.Message, ExitCodes.InvalidInput);
            }
        });
        return command;
    }
}
