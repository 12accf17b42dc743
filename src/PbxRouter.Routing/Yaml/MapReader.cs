using YamlDotNet.RepresentationModel;

namespace PbxRouter.Routing;

/// <summary>Reads one YAML mapping: checks its keys against the allowed ones and reads typed fields with exact locations.</summary>
internal sealed class MapReader
{
    private static readonly string[] SecretKeys = ["password", "pin", "secret", "token", "pass", "passwd", "api_key"];
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);

    private MapReader(ReaderContext ctx, YamlMappingNode map, string path)
    {
        Ctx = ctx;
        Node = map;
        Path = path;
    }

    public ReaderContext Ctx { get; }
    public YamlMappingNode Node { get; }
    public string Path { get; }
    public SourceLocation At => Ctx.At(Node, Path);

    /// <summary>Opens a mapping, reporting a wrong type, unknown keys (with a suggestion) and secrets written in clear.</summary>
    public static MapReader? Open(ReaderContext ctx, YamlNode node, string path, string what, IReadOnlyCollection<string> allowed)
    {
        if (node is not YamlMappingNode map)
        {
            ctx.Error(node, path, RuleErrorCodes.WrongType, $"{what} must be a mapping (key: value lines), found {ReaderContext.Describe(node)}.",
                $"write it as indented 'key: value' lines; allowed keys: {string.Join(", ", allowed)}");
            return null;
        }
        var reader = new MapReader(ctx, map, path);
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode key || key.Value is null)
            {
                ctx.Error(keyNode, path, RuleErrorCodes.WrongType, "keys must be plain words.", null);
                continue;
            }
            var keyPath = reader.FieldPath(key.Value);
            if (SecretKeys.Contains(key.Value, StringComparer.OrdinalIgnoreCase))
                ctx.Error(key, keyPath, RuleErrorCodes.SecretInYaml, $"secrets are never written in the rules files ('{key.Value}').",
                    $"put the secret in an environment variable and write '{key.Value.ToLowerInvariant()}_env: VARIABLE_NAME' instead");
            else if (!allowed.Contains(key.Value))
                ctx.Error(key, keyPath, RuleErrorCodes.UnknownField, $"unknown field '{key.Value}' in {what}.",
                    Suggest.DidYouMean(key.Value, allowed) ?? $"allowed fields: {string.Join(", ", allowed)}");
            else
                reader._entries[key.Value] = (key, value);
        }
        return reader;
    }

    public string FieldPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key) => _entries.TryGetValue(key, out var e) && !ReaderContext.IsNull(e.Value);

    public YamlNode? Value(string key) => _entries.TryGetValue(key, out var e) ? e.Value : null;

    /// <summary>Location of a field's value, or of the mapping itself when the field is absent.</summary>
    public SourceLocation FieldAt(string key) =>
        _entries.TryGetValue(key, out var e) ? Ctx.At(e.Value, FieldPath(key)) : At with { Field = FieldPath(key) };

    /// <summary>Reports a required field that is missing or empty.</summary>
    public void Missing(string key, string? hint)
    {
        if (_entries.TryGetValue(key, out var e))
        {
            var line = Ctx.SourceLine((int)e.Key.Start.Line);
            var afterColon = line.IndexOf(':') is var i and >= 0 ? line[(i + 1)..] : "";
            var commentHint = afterColon.TrimStart().StartsWith('#')
                ? $"a value starting with # is a comment in YAML: quote it, e.g. {key}: \"{afterColon.Trim()}\""
                : hint;
            Ctx.Error(e.Value, FieldPath(key), RuleErrorCodes.MissingField, $"'{key}' is empty.", commentHint);
        }
        else
            Ctx.Error(Node, FieldPath(key), RuleErrorCodes.MissingField, $"required field '{key}' is missing.", hint);
    }

    /// <summary>Reads a scalar; a list or mapping where a single value is expected is a type error.</summary>
    public Located<string>? Scalar(string key, bool required = false, string? hint = null)
    {
        if (!Has(key))
        {
            if (required) Missing(key, hint);
            return null;
        }
        var node = _entries[key].Value;
        return ScalarOf(Ctx, node, FieldPath(key), hint);
    }

    public static Located<string>? ScalarOf(ReaderContext ctx, YamlNode node, string path, string? hint = null)
    {
        if (node is YamlScalarNode s && s.Value is not null)
            return new Located<string>(s.Value.Trim(), ctx.At(node, path));
        ctx.Error(node, path, RuleErrorCodes.WrongType, $"expected a single value, found {ReaderContext.Describe(node)}.", hint);
        return null;
    }

    /// <summary>A one-line text (names, hosts, greetings): a line break or control character is refused, since these values end
    /// up in Asterisk's configuration, SIP headers, prompt lists and logs, where they could start a new line.</summary>
    public string? Text(string key, bool required = false, string? hint = null)
    {
        if (Scalar(key, required, hint) is not { } v) return null;
        if (!Values.HasControlCharacter(v.Value)) return v.Value;
        Ctx.Diagnostics.Error(v.At, RuleErrorCodes.InvalidValue, $"'{key}' must fit on one line, without control characters.",
            "remove the line break, tab or control character (a folded block, >-, joins lines with spaces)");
        return null;
    }

    public bool Bool(string key, bool fallback)
    {
        if (Scalar(key) is not { } v) return fallback;
        switch (v.Value.ToLowerInvariant())
        {
            case "true": return true;
            case "false": return false;
            default:
                Ctx.Diagnostics.Error(v.At, RuleErrorCodes.WrongType, $"'{v.Value}' is not a boolean.", "write true or false");
                return fallback;
        }
    }

    public int Int(string key, int fallback, int min, int max)
    {
        if (Scalar(key) is not { } v) return fallback;
        if (int.TryParse(v.Value, System.Globalization.NumberStyles.None, null, out var n) && n >= min && n <= max) return n;
        Ctx.Diagnostics.Error(v.At, RuleErrorCodes.WrongType, $"'{v.Value}' is not a whole number between {min} and {max}.", $"for example {key}: {Math.Max(min, Math.Min(max, fallback))}");
        return fallback;
    }

    public TimeSpan? Duration(string key, TimeSpan? fallback, bool required = false)
    {
        if (Scalar(key, required, "for example 20s, 1m or 1m30s") is not { } v) return fallback;
        if (Values.TryParseDuration(v.Value, out var d)) return d;
        Ctx.Diagnostics.Error(v.At, RuleErrorCodes.WrongType, $"'{v.Value}' is not a duration.", "write seconds or minutes, e.g. 20s, 45s, 1m, 1m30s");
        return fallback;
    }

    /// <summary>Reads one of a fixed set of words (e.g. a queue strategy).</summary>
    public T Choice<T>(string key, T fallback, IReadOnlyDictionary<string, T> choices)
    {
        if (Scalar(key) is not { } v) return fallback;
        if (choices.TryGetValue(v.Value, out var c)) return c;
        Ctx.Diagnostics.Error(v.At, RuleErrorCodes.InvalidValue, $"'{v.Value}' is not a valid {key}.",
            (Suggest.DidYouMean(v.Value, choices.Keys) is { } s ? s + " " : "") + $"choose one of: {string.Join(", ", choices.Keys)}");
        return fallback;
    }

    /// <summary>Reads a list; a single value where a list is expected is accepted as a one-item list.</summary>
    public List<T> List<T>(string key, Func<YamlNode, string, T?> item, bool required = false, string? hint = null)
    {
        var result = new List<T>();
        if (!Has(key))
        {
            if (required) Missing(key, hint);
            return result;
        }
        var node = _entries[key].Value;
        if (node is YamlScalarNode)
        {
            if (item(node, $"{FieldPath(key)}[0]") is { } single) result.Add(single);
            return result;
        }
        if (node is not YamlSequenceNode seq)
        {
            Ctx.Error(node, FieldPath(key), RuleErrorCodes.WrongType, $"'{key}' must be a list, found {ReaderContext.Describe(node)}.", hint ?? "write one '- item' line per entry");
            return result;
        }
        for (var i = 0; i < seq.Children.Count; i++)
            if (item(seq.Children[i], $"{FieldPath(key)}[{i}]") is { } value) result.Add(value);
        return result;
    }

    /// <summary>Same as <see cref="List{T}"/> for value types such as <see cref="Located{T}"/>.</summary>
    public List<T> Items<T>(string key, Func<YamlNode, string, T?> item, bool required = false, string? hint = null) where T : struct =>
        List<T[]>(key, (n, p) => item(n, p) is { } v ? [v] : null, required, hint).SelectMany(x => x).ToList();

    public List<Located<string>> ScalarList(string key, bool required = false, string? hint = null) =>
        Items(key, (n, p) => ScalarOf(Ctx, n, p, hint), required, hint);

    public MapReader? Map(string key, string what, IReadOnlyCollection<string> allowed, bool required = false, string? hint = null)
    {
        if (!Has(key))
        {
            if (required) Missing(key, hint);
            return null;
        }
        return Open(Ctx, _entries[key].Value, FieldPath(key), what, allowed);
    }

    /// <summary>Reads free key/value pairs (e.g. SIP headers).</summary>
    public Dictionary<string, Located<string>> Pairs(string key)
    {
        var result = new Dictionary<string, Located<string>>(StringComparer.OrdinalIgnoreCase);
        if (!Has(key)) return result;
        if (_entries[key].Value is not YamlMappingNode map)
        {
            Ctx.Error(_entries[key].Value, FieldPath(key), RuleErrorCodes.WrongType, $"'{key}' must be a mapping of name: value.", "e.g. X-Practice: tilleuls");
            return result;
        }
        foreach (var (k, v) in map.Children)
            if (k is YamlScalarNode { Value: { } name } && ScalarOf(Ctx, v, $"{FieldPath(key)}.{name}") is { } value)
                result[name] = value;
        return result;
    }

    /// <summary>Reads the name of an environment variable holding a secret.</summary>
    public Located<string>? EnvName(string key, bool required)
    {
        var v = Scalar(key, required, $"name the environment variable that holds the secret, e.g. {key}: TILLEULS_TRUNK_PASSWORD");
        if (v is { } name && !Values.IsEnvName(name.Value))
            Ctx.Diagnostics.Error(name.At, RuleErrorCodes.InvalidValue, $"'{name.Value}' is not an environment variable name.",
                "use capital letters, digits and underscores (e.g. TILLEULS_TRUNK_PASSWORD); the secret itself goes in the environment, never in the YAML");
        return v;
    }

    /// <summary>Reads an identifier made of lower-case letters, digits, '-' and '_'.</summary>
    public Located<string>? Id(string key = "id", bool required = true)
    {
        var v = Scalar(key, required, "give it a short identifier such as tilleuls or accueil-1");
        if (v is { } id && !Values.IsId(id.Value))
            Ctx.Diagnostics.Error(id.At, RuleErrorCodes.InvalidValue, $"'{id.Value}' is not a valid identifier.",
                "use lower-case letters, digits, '-' and '_', starting with a letter or digit (e.g. dr-martin)");
        return v;
    }
}
