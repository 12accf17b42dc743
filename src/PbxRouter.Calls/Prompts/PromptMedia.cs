namespace PbxRouter.Calls.Prompts;

/// <summary>The ARI media URI of a rules prompt: the file made from its text (or its recording) in the prompts folder.</summary>
public sealed class PromptMedia(PromptOptions options, string databasePath)
{
    public string For(string name) => options.Media(databasePath, name);
}
