using System.Text.RegularExpressions;
using PbxRouter.Routing.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PbxRouter.Routing;

/// <summary>Reads one rules file into the model, reporting every problem with its file, line, column and field.</summary>
internal static partial class RulesReader
{
    public static FileRules Read(RulesFile file, Diagnostics diagnostics)
    {
        var ctx = new ReaderContext(file.Path, file.Text, diagnostics);
        if (!YamlLimits.Check(file, diagnostics)) return FileRules.Empty;
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(file.Text));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (AnchorNotFoundException) when (FirstUnknownAlias(file.Text) is { } alias)
        {
            var at = new SourceLocation(file.Path, (int)alias.Start.Line, (int)alias.Start.Column, "");
            diagnostics.Error(at, RuleErrorCodes.YamlSyntax, $"'*{alias.Value}' is read as a YAML alias, and there is no anchor '&{alias.Value}'.",
                $"a value starting with * is an alias in YAML: quote feature codes, e.g. code: \"*{alias.Value}\"");
            return FileRules.Empty;
        }
        catch (YamlException ex)
        {
            var at = new SourceLocation(file.Path, (int)ex.Start.Line, (int)ex.Start.Column, "");
            diagnostics.Error(at, RuleErrorCodes.YamlSyntax, PositionPrefix().Replace(ex.Message, "").Trim(), SyntaxHint(ex));
            return FileRules.Empty;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            // YamlDotNet fails on some malformed files without a YamlException, e.g. an unclosed '[' then a plain value (found by fuzzing).
            var at = new SourceLocation(file.Path, (int)Math.Max(1, scanner.CurrentPosition.Line), (int)Math.Max(1, scanner.CurrentPosition.Column), "");
            diagnostics.Error(at, RuleErrorCodes.YamlSyntax, "the YAML cannot be read from here.", "check that every [ and { is closed, and the indentation");
            return FileRules.Empty;
        }
        if (stream.Documents.Count == 0 || ReaderContext.IsNull(stream.Documents[0].RootNode))
        {
            diagnostics.Warn(new SourceLocation(file.Path, 1, 1, ""), RuleErrorCodes.Suspicious, "the file is empty.", "add trunks:, secretariats: or practices:, or delete the file");
            return FileRules.Empty;
        }
        if (stream.Documents.Count > 1)
            ctx.Error(stream.Documents[1].RootNode, "", RuleErrorCodes.YamlSyntax, "only one YAML document per file is read ('---' starts a second one).",
                "put each practice in its own file, or all of them under one practices: list");
        var root = MapReader.Open(ctx, stream.Documents[0].RootNode, "", "the file", YamlKeys.Root);
        if (root is null) return FileRules.Empty;
        if (root.Scalar("version") is { } version && version.Value != "1")
            diagnostics.Error(version.At, RuleErrorCodes.InvalidValue, $"unsupported version '{version.Value}'.", "this PBX reads version: 1");
        return new FileRules(
            root.List("trunks", (n, p) => ReadTrunk(ctx, n, p)),
            root.List("secretariats", (n, p) => ReadSecretariat(ctx, n, p)),
            root.List("practices", (n, p) => PracticeReader.Read(ctx, n, p)));
    }

    /// <summary>YamlDotNet reports a missing anchor without its position: find the alias with the low-level parser.</summary>
    private static YamlDotNet.Core.Events.AnchorAlias? FirstUnknownAlias(string text)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext())
            {
                if (parser.Current is YamlDotNet.Core.Events.AnchorAlias alias && !anchors.Contains(alias.Value.Value)) return alias;
                if (parser.Current is YamlDotNet.Core.Events.NodeEvent { Anchor.IsEmpty: false } node) anchors.Add(node.Anchor.Value);
            }
        }
        catch (YamlException)
        {
            // a later syntax error: the alias was not found before it
        }
        return null;
    }

    private static string? SyntaxHint(YamlException ex)
    {
        if (ex is AnchorNotFoundException || ex.Message.Contains("alias", StringComparison.OrdinalIgnoreCase))
            return "a value starting with * is an alias in YAML: quote feature codes, e.g. code: \"*21\"";
        if (ex.Message.Contains("tab", StringComparison.OrdinalIgnoreCase))
            return "indent with spaces, never tabs";
        if (ex.Message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase))
            return "each key may appear once per block; merge the two entries";
        return "check the indentation and the ':' after each key on this line or the one before";
    }

    private static Trunk? ReadTrunk(ReaderContext ctx, YamlNode node, string path)
    {
        if (MapReader.Open(ctx, node, path, "a trunk", YamlKeys.Trunk) is not { } r || r.Id() is not { } id) return null;
        var host = r.Text("host", required: true, hint: "the operator's SIP server, e.g. host: sip.ovh.net") ?? "";
        if (host.Length > 0 && !Values.IsSipHost(host))
            ctx.Diagnostics.Error(r.Scalar("host")!.Value.At, RuleErrorCodes.InvalidValue, $"'{host}' is not a host name or IP address with an optional port.",
                "write e.g. host: sip.ovh.net or host: 194.2.0.20:5060 (no spaces, ';' or '[' except around an IPv6 address)");
        var transport = r.Choice("transport", "udp", new Dictionary<string, string> { ["udp"] = "udp", ["tcp"] = "tcp", ["tls"] = "tls" });
        TrunkRegistration? registration = null;
        if (r.Map("registration", "a trunk registration", YamlKeys.Registration) is { } reg)
        {
            var user = reg.Text("username", required: true, hint: "the account name the operator gave you");
            if (user is not null && !Values.IsSipUser(user))
            {
                ctx.Diagnostics.Error(reg.Scalar("username")!.Value.At, RuleErrorCodes.InvalidValue, $"'{user}' is not a SIP user name.",
                    "letters, digits and - _ . ! ~ * ' ( ) + only, as the operator wrote it (e.g. 0033145000000)");
                user = null;
            }
            var env = reg.EnvName("password_env", required: true);
            var contact = reg.Scalar("contact_user");
            if (contact is { } c && !Values.IsSipUser(c.Value))
            {
                ctx.Diagnostics.Error(c.At, RuleErrorCodes.InvalidValue, $"'{c.Value}' is not a SIP user name.",
                    "the number incoming calls on this registration are for, e.g. contact_user: \"+33145000000\"");
                contact = null;
            }
            var expiration = (int)(reg.Duration("expiration", TimeSpan.FromSeconds(600)) ?? TimeSpan.FromSeconds(600)).TotalSeconds;
            if (reg.Scalar("expiration") is { } ex && expiration is < 60 or > 86400)
                ctx.Diagnostics.Error(ex.At, RuleErrorCodes.InvalidValue, $"'{ex.Value}' is not between 1 minute and 24 hours.", "operators usually want 10m to 1h, e.g. expiration: 10m");
            var retry = (int)(reg.Duration("retry_interval", TimeSpan.FromSeconds(60)) ?? TimeSpan.FromSeconds(60)).TotalSeconds;
            if (reg.Scalar("retry_interval") is { } rt && retry is < 10 or > 3600)
                ctx.Diagnostics.Error(rt.At, RuleErrorCodes.InvalidValue, $"'{rt.Value}' is not between 10 seconds and 1 hour.", "e.g. retry_interval: 1m");
            if (user is not null && env is { } e)
                registration = new TrunkRegistration(user, e.Value)
                {
                    ContactUser = contact?.Value ?? user, ContactUserAt = contact?.At ?? reg.FieldAt("username"),
                    ExpirationSeconds = expiration, RetrySeconds = retry,
                };
        }
        var addresses = r.ScalarList("ip_addresses");
        foreach (var a in addresses.Where(a => !IsAddress(a.Value)))
            ctx.Diagnostics.Error(a.At, RuleErrorCodes.InvalidValue, $"'{a.Value}' is not an IP address or network.", "write e.g. 194.2.0.20 or 194.2.0.0/24");
        if (registration is null && addresses.Count == 0 && !r.Has("registration"))
            ctx.Error(node, path, RuleErrorCodes.MissingField, "a trunk must either register or be identified by its IP addresses.",
                "add registration: {username: ..., password_env: ...} or ip_addresses: [...]");
        if (r.Has("registration") && addresses.Count > 0)
            ctx.Error(node, path, RuleErrorCodes.InvalidValue, "a trunk cannot both register and be identified by IP.", "keep registration: or ip_addresses:, not both");
        return new Trunk
        {
            Id = id, Name = r.Text("name"), Host = host, Transport = transport, TransportAt = r.Scalar("transport")?.At, Registration = registration,
            IpAddresses = addresses.Select(a => a.Value).ToList(), At = r.At,
        };
    }

    private static bool IsAddress(string text)
    {
        var slash = text.IndexOf('/');
        var ip = slash < 0 ? text : text[..slash];
        return System.Net.IPAddress.TryParse(ip, out _) && (slash < 0 || int.TryParse(text[(slash + 1)..], out var bits) && bits is >= 0 and <= 128);
    }

    private static Secretariat? ReadSecretariat(ReaderContext ctx, YamlNode node, string path)
    {
        if (MapReader.Open(ctx, node, path, "a secretariat", YamlKeys.Secretariat) is not { } r || r.Id() is not { } id) return null;
        var number = r.Scalar("number") is { } n ? NumberReader.Normalize(ctx, n) : null;
        var uri = r.Scalar("uri");
        if (uri is { } u && !Values.IsSipUri(u.Value))
            ctx.Diagnostics.Error(u.At, RuleErrorCodes.InvalidValue, $"'{u.Value}' is not a SIP URI Asterisk can dial.",
                "write e.g. uri: sip:tilleuls@sip.servitel.fr (sip: or sips:, then letters, digits and - _ . ! ~ * ' = ; ? / % + : @ only)");
        if (!r.Has("number") && uri is null)
            ctx.Error(node, $"{path}.number", RuleErrorCodes.MissingField, "a secretariat needs a number or a uri.", "e.g. number: \"05 67 00 00 00\" or uri: sip:cabinet@provider.fr");
        if (r.Has("number") && uri is not null)
            ctx.Diagnostics.Error(uri.Value.At, RuleErrorCodes.InvalidValue, "give either number or uri, not both.", "keep the one the provider gave you");
        return new Secretariat
        {
            Id = id, Name = r.Text("name"), Number = number?.Value, Uri = uri?.Value, Trunk = r.Id("trunk", required: false),
            Diversion = r.Bool("diversion", true), HistoryInfo = r.Bool("history_info", false),
            Headers = NumberReader.Headers(ctx, r), At = r.At,
        };
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex PositionPrefix();
}
