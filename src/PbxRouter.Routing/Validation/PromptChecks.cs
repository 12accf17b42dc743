using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>Prompt names become files Asterisk plays: each must be a plain name, and one name cannot say two texts.</summary>
internal static class PromptChecks
{
    public static void Check(RulesModel model, Diagnostics d)
    {
        var first = new Dictionary<string, (string Text, SourceLocation At)>(StringComparer.Ordinal);
        foreach (var (name, text, at) in PromptCatalog.Entries(model))
        {
            if (!PromptCatalog.IsValidName(name) || (!name.Contains('/') && !PromptCatalog.IsValidSound(name)))
            {
                d.Error(at with { Field = at.Field + ".sound" }, RuleErrorCodes.InvalidValue, $"'{name}' is not a prompt name.",
                    "use letters, digits, '-' and '_' only, e.g. sound: tilleuls-bonjour (or leave sound out: the text is spoken)");
                continue;
            }
            if (!first.TryGetValue(name, out var seen)) first[name] = (text, at);
            else if (seen.Text != text)
                d.Error(at with { Field = at.Field + ".sound" }, RuleErrorCodes.DuplicateId,
                    $"prompt '{name}' is given another text than at {seen.At.Short}: one recording cannot say both.",
                    "give this greeting or message its own sound name, or leave sound out");
        }
    }
}
