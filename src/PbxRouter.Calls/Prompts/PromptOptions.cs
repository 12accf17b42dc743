namespace PbxRouter.Calls.Prompts;

/// <summary>Where the prompts spoken from the rules' texts (or uploaded recordings) live (section "Asterisk").</summary>
public sealed class PromptOptions
{
    /// <summary>The folder the engine and the CLI write prompts to; empty: "prompts" beside the database.</summary>
    public string PromptsPath { get; set; } = "";

    /// <summary>The same folder as Asterisk sees it (a chroot sees another path); empty: <see cref="PromptsPath"/>.</summary>
    public string PromptsAsteriskPath { get; set; } = "";

    /// <summary>The folder, with the default resolved against the database's folder.</summary>
    public string Folder(string databasePath) => string.IsNullOrWhiteSpace(PromptsPath)
        ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath)) ?? "/", "prompts")
        : Path.GetFullPath(PromptsPath);

    /// <summary>The ARI media URI that plays prompt <paramref name="name"/>: Asterisk picks .ulaw/.alaw/.wav by the channel's codec.</summary>
    public string Media(string databasePath, string name) =>
        $"sound:{(string.IsNullOrWhiteSpace(PromptsAsteriskPath) ? Folder(databasePath) : PromptsAsteriskPath.TrimEnd('/'))}/{name}";
}
