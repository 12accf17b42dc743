using System.CommandLine;
using PbxRouter.Routing.Model;

namespace PbxRouter.Cli;

/// <summary>`rules prompts PATH`: the spoken prompts the rules name (sound|text), for `scripts/asterisk.sh prompts`.</summary>
public static class RulesPromptsCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "A rules file or folder" };
        var command = new Command("prompts", "List the greetings and messages the rules name, one 'sound|text' line each (scripts/asterisk.sh prompts turns them into audio).") { path };
        command.SetAction(parse =>
        {
            var outcome = RulesValidation.Load(parse.GetValue(path)!, "rules prompts");
            if (outcome?.Result.Rules is not { } rules || outcome.Result.Errors.Count > 0)
            {
                if (outcome is not null) RulesValidation.PrintText(outcome);
                return ExitCodes.InvalidInput;
            }
            var prompts = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var practice in rules.Model.Practices)
                foreach (var set in new[] { practice.Rules }.Concat(practice.Lines.Select(l => l.Rules)))
                    Collect(set, prompts);
            foreach (var (sound, text) in prompts) Console.Out.WriteLine($"{sound}|{text.ReplaceLineEndings(" ")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Collect(RoutingRules rules, SortedDictionary<string, string> prompts)
    {
        if (rules.Greeting is { Sound: { } sound } greeting) prompts[sound] = greeting.Text;
        foreach (var message in rules.Messages.Values)
            if (message.Sound is { } s) prompts[s] = message.Text;
    }
}
