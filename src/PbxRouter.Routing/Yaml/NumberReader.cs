using YamlDotNet.RepresentationModel;

namespace PbxRouter.Routing;

/// <summary>Reads phone numbers (normalised to E.164) and SIP headers.</summary>
internal static class NumberReader
{
    public const string Hint = "write it as people do (01 45 00 00 00) or in E.164 (+33145000000); quote it if it starts with + or 0";

    public static Located<string>? Normalize(ReaderContext ctx, Located<string> raw)
    {
        if (PhoneNumbers.TryNormalize(raw.Value, out var e164))
        {
            if (PhoneNumbers.LooksOverseas(raw.Value))
                ctx.Diagnostics.Warn(raw.At, RuleErrorCodes.InvalidNumber, $"'{raw.Value}' looks like an overseas number but is read as metropolitan {e164}.",
                    "write overseas numbers in E.164, e.g. +262262000000");
            return raw with { Value = e164 };
        }
        ctx.Diagnostics.Error(raw.At, RuleErrorCodes.InvalidNumber, $"'{raw.Value}' is not a valid phone number.", Hint);
        return null;
    }

    public static Located<string>? Read(ReaderContext ctx, YamlNode node, string path) =>
        MapReader.ScalarOf(ctx, node, path, Hint) is { } raw ? Normalize(ctx, raw) : null;

    public static Located<string>? Read(MapReader r, string key, bool required) =>
        r.Scalar(key, required, Hint) is { } raw ? Normalize(r.Ctx, raw) : null;

    public static List<Located<string>> ReadList(MapReader r, string key, bool required) =>
        r.Items(key, (n, p) => Read(r.Ctx, n, p), required, Hint);

    /// <summary>Extra SIP headers, e.g. X-Practice: tilleuls.</summary>
    public static Dictionary<string, string> Headers(ReaderContext ctx, MapReader r)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in r.Pairs("headers"))
        {
            if (!Values.IsHeaderName(name))
                ctx.Diagnostics.Error(value.At, RuleErrorCodes.InvalidValue, $"'{name}' is not a valid SIP header name.", "use letters, digits and '-', e.g. X-Practitioner");
            else if (name.Equals("Diversion", StringComparison.OrdinalIgnoreCase) || name.Equals("History-Info", StringComparison.OrdinalIgnoreCase))
                ctx.Diagnostics.Error(value.At, RuleErrorCodes.InvalidValue, $"'{name}' is set by the PBX.", $"use {(name.StartsWith('D') ? "diversion" : "history_info")}: true on the secretariat instead");
            else if (!Values.IsHeaderValue(value.Value))
                ctx.Diagnostics.Error(value.At, RuleErrorCodes.InvalidValue,
                    "a header value must fit on one line (at most 256 characters) without control characters, ';', '[' or ']'.",
                    "write a plain value, e.g. X-Practice: tilleuls");
            else
                headers[name] = value.Value;
        }
        return headers;
    }
}
