using System.Globalization;
using System.Text;

namespace PbxRouter.Ari.Transport;

/// <summary>Builds an ARI request path: escaped path segments plus query parameters, null values left out.</summary>
internal sealed class Query
{
    private readonly StringBuilder _sb;
    private bool _hasQuery;

    private Query(string path) => _sb = new StringBuilder(path);

    /// <summary>Starts a path from literal parts and ids; ids (odd positions) are escaped.</summary>
    public static Query Path(params ReadOnlySpan<string> parts)
    {
        var q = new Query("");
        for (int i = 0; i < parts.Length; i++)
            q._sb.Append(i % 2 == 0 ? parts[i] : Uri.EscapeDataString(parts[i]));
        return q;
    }

    public Query Add(string name, string? value)
    {
        if (value is null) return this;
        _sb.Append(_hasQuery ? '&' : '?').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        _hasQuery = true;
        return this;
    }

    public Query Add(string name, long? value) =>
        value is null ? this : Add(name, value.Value.ToString(CultureInfo.InvariantCulture));

    public Query Add(string name, bool? value) =>
        value is null ? this : Add(name, value.Value ? "true" : "false");

    public override string ToString() => _sb.ToString();

    public static implicit operator string(Query q) => q.ToString();
}
