using System.Security.Cryptography;
using System.Text;
using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>One greeting or message the caller hears: the prompt name Asterisk plays and the text it must say.</summary>
public sealed record PromptText(string Name, string Text, SourceLocation At)
{
    /// <summary>SHA-256 of the text (hex): the rendering cache key, and how a recording knows which text it says.</summary>
    public string TextHash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));
}

/// <summary>
/// Names every greeting and message of the rules: its <c>sound</c> when given, else one derived from where it is written
/// (<c>tilleuls/greeting</c>, <c>tilleuls/message-closed</c>, <c>val/line-dr-leroy/greeting</c>), so that each plays
/// exactly the audio made from its own text.
/// </summary>
public static class PromptCatalog
{
    /// <summary>Every prompt of the rules, each name once (practices, then their lines' own greetings and messages).</summary>
    public static IReadOnlyList<PromptText> Of(RulesModel model)
    {
        var all = new Dictionary<string, PromptText>(StringComparer.Ordinal);
        foreach (var (name, text, at) in Entries(model)) all.TryAdd(name, new PromptText(name, text, at));
        return [.. all.Values.OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    /// <summary>Every greeting and message with its prompt name, duplicates included (validation looks for conflicts).</summary>
    internal static IEnumerable<(string Name, string Text, SourceLocation At)> Entries(RulesModel model)
    {
        foreach (var practice in model.Practices)
        {
            if (practice.Rules.Greeting is { } g) yield return (GreetingName(practice, null, g), g.Text, g.At);
            foreach (var m in practice.Rules.Messages.Values) yield return (MessageName(practice, null, m), m.Text, m.At);
            foreach (var line in practice.Lines)
            {
                if (line.Rules.Greeting is { } lg) yield return (GreetingName(practice, line, lg), lg.Text, lg.At);
                foreach (var m in line.Rules.Messages.Values) yield return (MessageName(practice, line, m), m.Text, m.At);
            }
        }
    }

    /// <summary>The prompt of a greeting; <paramref name="line"/> only when the line writes its own greeting.</summary>
    public static string GreetingName(Practice practice, PracticeLine? line, Greeting greeting) =>
        greeting.Sound ?? $"{Folder(practice, line)}/greeting";

    /// <summary>The prompt of a message; <paramref name="line"/> only when the line writes that message itself.</summary>
    public static string MessageName(Practice practice, PracticeLine? line, Message message) =>
        message.Sound ?? $"{Folder(practice, line)}/message-{message.Id}";

    private static string Folder(Practice practice, PracticeLine? line) =>
        line is null ? practice.Id.Value : $"{practice.Id.Value}/line-{line.Id.Value}";

    /// <summary>A prompt name is a file name under the prompts folder: letters, digits, '-' and '_', in '/'-separated parts.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 200 && name.Split('/').All(part => part.Length > 0 && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));

    /// <summary>"did you mean 'x'?" for a mistyped prompt name, or null.</summary>
    public static string? DidYouMean(string wrong, IEnumerable<string> names) => Suggest.DidYouMean(wrong, names);

    /// <summary>A <c>sound</c> written in the rules: one part only (the derived names hold the '/').</summary>
    public static bool IsValidSound(string sound) => IsValidName(sound) && !sound.Contains('/');
}
