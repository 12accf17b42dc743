using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PbxRouter.Routing;

/// <summary>Bounds on what a rules file can make the reader do, checked on the YAML events before any document is built.
/// A practice's rules take a few kilobytes and a few hundred values; the limits are far above that and far below what
/// would stall the engine: a "billion laughs" file of 2 KB made of aliases of aliases expands to millions of values,
/// each read and reported on, and tens of thousands of nested '[' take seconds to parse. The reader checks a value once
/// per alias that repeats it (about 1 ms per practice), so the values are counted with aliases expanded.</summary>
internal static class YamlLimits
{
    public const int MaxChars = 1_000_000;
    public const int MaxDepth = 64;
    public const int MaxValues = 20_000;

    private const string AliasHint = "an alias (*name) repeats everything under its anchor (&name): reuse small blocks only, or write the values out";

    /// <summary>Reports the first limit the file goes beyond; false when it must not be loaded. Syntax errors are left to the loader.</summary>
    public static bool Check(RulesFile file, Diagnostics diagnostics)
    {
        if (file.Text.Length > MaxChars)
            return Refuse(diagnostics, file, Mark.Empty, RuleErrorCodes.TooLarge, $"the file has {file.Text.Length:N0} characters; rules files are read up to {MaxChars:N0}.",
                "a practice's rules take a few kilobytes: check that this is the right file");
        var parser = new Parser(new StringReader(file.Text));
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var open = new List<Frame>();
        long total = 0;
        try
        {
            while (parser.MoveNext())
            {
                long values;
                switch (parser.Current)
                {
                    case AnchorAlias alias when !sizes.ContainsKey(alias.Value.Value) && open.Any(f => f.Anchor == alias.Value.Value):
                        return Refuse(diagnostics, file, alias.Start, RuleErrorCodes.YamlSyntax,
                            $"the alias '*{alias.Value}' is inside the value anchored '&{alias.Value}': it would repeat forever.", AliasHint);
                    case AnchorAlias alias:
                        values = sizes.GetValueOrDefault(alias.Value.Value, 1);
                        break;
                    case Scalar scalar:
                        values = 1;
                        if (!scalar.Anchor.IsEmpty) sizes[scalar.Anchor.Value] = 1;
                        break;
                    case NodeEvent start when start is MappingStart or SequenceStart:
                        if (!start.Anchor.IsEmpty) sizes.Remove(start.Anchor.Value);
                        open.Add(new Frame(start.Anchor.IsEmpty ? null : start.Anchor.Value));
                        if (open.Count > MaxDepth)
                            return Refuse(diagnostics, file, start.Start, RuleErrorCodes.TooLarge, $"values are nested more than {MaxDepth} levels deep.",
                                "rules nest a few levels only: check the brackets and the indentation");
                        total++;
                        continue;
                    case MappingEnd or SequenceEnd when open.Count > 0:
                        var done = open[^1];
                        open.RemoveAt(open.Count - 1);
                        if (done.Anchor is not null) sizes[done.Anchor] = done.Values;
                        if (open.Count > 0) open[^1].Values += done.Values;
                        continue;
                    default:
                        continue;
                }
                total += values;
                if (open.Count > 0) open[^1].Values += values;
                if (total > MaxValues)
                    return Refuse(diagnostics, file, parser.Current.Start, RuleErrorCodes.TooLarge,
                        parser.Current is AnchorAlias a
                            ? $"the file holds more than {MaxValues:N0} values once its aliases are expanded (here '*{a.Value}')."
                            : $"the file holds more than {MaxValues:N0} values.",
                        parser.Current is AnchorAlias ? AliasHint : "a practice's rules hold a few hundred values: check that this is the right file");
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            // A syntax error: the loader stops at the same place and reports it.
        }
        return true;
    }

    private static bool Refuse(Diagnostics diagnostics, RulesFile file, Mark at, string code, string message, string hint)
    {
        diagnostics.Error(new SourceLocation(file.Path, (int)Math.Max(1, at.Line), (int)Math.Max(1, at.Column), ""), code, message, hint);
        return false;
    }

    private sealed class Frame(string? anchor)
    {
        public string? Anchor { get; } = anchor;
        /// <summary>The values under this node once aliases are expanded, itself included.</summary>
        public long Values { get; set; } = 1;
    }
}
