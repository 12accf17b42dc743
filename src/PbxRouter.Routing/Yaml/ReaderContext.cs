using YamlDotNet.RepresentationModel;

namespace PbxRouter.Routing;

/// <summary>The file being read, its text (for hints) and where problems are reported.</summary>
internal sealed class ReaderContext(string file, string text, Diagnostics diagnostics)
{
    private string[]? _lines;

    public string File { get; } = file;
    public Diagnostics Diagnostics { get; } = diagnostics;

    public SourceLocation At(YamlNode node, string path) =>
        new(File, (int)node.Start.Line, (int)node.Start.Column, path);

    public void Error(YamlNode node, string path, string code, string message, string? hint = null) =>
        Diagnostics.Error(At(node, path), code, message, hint);

    public void Warn(YamlNode node, string path, string code, string message, string? hint = null) =>
        Diagnostics.Warn(At(node, path), code, message, hint);

    /// <summary>The raw source line (1-based), used to explain why a value came out empty.</summary>
    public string SourceLine(int line)
    {
        _lines ??= text.Split('\n');
        return line >= 1 && line <= _lines.Length ? _lines[line - 1] : "";
    }

    /// <summary>True for an absent-looking scalar: empty, ~ or null written without quotes.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) } s
        && (string.IsNullOrEmpty(s.Value) || s.Value is "~" or "null" or "Null" or "NULL");

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping (key: value lines)",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "nothing",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "an unsupported node",
    };
}
