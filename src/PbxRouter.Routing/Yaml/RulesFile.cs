namespace PbxRouter.Routing;

/// <summary>One YAML rules file: its path (used in error messages) and its text.</summary>
public sealed record RulesFile(string Path, string Text);
