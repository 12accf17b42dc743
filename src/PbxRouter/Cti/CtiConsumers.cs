using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using PbxRouter.Calls.Cti;

namespace PbxRouter.Cti;

/// <summary>One CTI consumer of the settings (Cti:Consumers:N): its name, the SHA-256 of its token, what it may see.</summary>
public sealed record CtiConsumer(string Name, byte[] TokenHash, CtiAudience Audience);

/// <summary>
/// The consumers allowed on /cti/events, from the settings: Cti:Consumers:N:Name, :TokenHash (SHA-256 of the bearer token,
/// 64 hex digits: the token itself is never stored), :Practices (practice ids, or "*" alone for a platform consumer) and
/// :CallerNumbers (true: callers' numbers in full; default false: masked).
/// </summary>
public sealed class CtiConsumers(IReadOnlyList<CtiConsumer> consumers)
{
    public IReadOnlyList<CtiConsumer> All { get; } = consumers;

    /// <summary>
    /// The consumer whose token is the bearer token of <paramref name="authorization"/> ("Bearer TOKEN"), or null. Every
    /// consumer's hash is compared in constant time, so the time taken says nothing about which hash came close.
    /// </summary>
    public CtiConsumer? Authenticate(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return null;
        var token = authorization[scheme.Length..].Trim();
        if (token.Length == 0) return null;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        CtiConsumer? found = null;
        foreach (var consumer in All)
            if (CryptographicOperations.FixedTimeEquals(hash, consumer.TokenHash)) found ??= consumer;
        return found;
    }

    /// <summary>The SHA-256 of a token in lower-case hex, as Cti:Consumers:N:TokenHash wants it.</summary>
    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Reads Cti:Consumers and adds what is wrong to <paramref name="problems"/> (a wrong consumer is left out).</summary>
    public static CtiConsumers Read(IConfiguration config, List<string> problems)
    {
        var consumers = new List<CtiConsumer>();
        foreach (var section in config.GetSection("Cti:Consumers").GetChildren())
        {
            var at = $"Cti:Consumers:{section.Key}";
            var name = section["Name"];
            var ok = true;
            if (string.IsNullOrWhiteSpace(name))
            {
                problems.Add($"{at}:Name is missing: name the consumer (it is logged on each connection)");
                ok = false;
            }
            if (section["Token"] is not null)
            {
                problems.Add($"{at}:Token: never put a consumer's token in the settings; give TokenHash, its SHA-256 in hex (sha256sum)");
                ok = false;
            }
            var hashText = section["TokenHash"] ?? "";
            byte[] hash = [];
            if (hashText.Length != 64 || !hashText.All(char.IsAsciiHexDigit))
            {
                problems.Add($"{at}:TokenHash is not 64 hex digits: give the SHA-256 of the consumer's token (printf %s TOKEN | sha256sum)");
                ok = false;
            }
            else hash = Convert.FromHexString(hashText);
            var practices = section.GetSection("Practices").GetChildren().Select(c => c.Value).OfType<string>().ToList();
            if (practices.Count == 0 && section["Practices"] is { } single) practices = [.. single.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
            if (practices.Count == 0 || practices.Contains("*") && practices.Count > 1)
            {
                problems.Add($"{at}:Practices: list the practice ids it may follow, or \"*\" alone for a platform consumer");
                ok = false;
            }
            var callerText = section["CallerNumbers"] ?? "false";
            if (!bool.TryParse(callerText, out var callerNumbers))
            {
                problems.Add($"{at}:CallerNumbers '{callerText}' is not true or false");
                ok = false;
            }
            if (consumers.Any(c => c.Name == name))
            {
                problems.Add($"{at}:Name '{name}' is used by another consumer");
                ok = false;
            }
            if (consumers.Any(c => c.TokenHash.AsSpan().SequenceEqual(hash)))
            {
                problems.Add($"{at}:TokenHash is another consumer's: give each consumer its own token");
                ok = false;
            }
            if (!ok) continue;
            var audience = new CtiAudience(practices is ["*"] ? null : practices.ToHashSet(StringComparer.Ordinal), callerNumbers);
            consumers.Add(new CtiConsumer(name!, hash, audience));
        }
        return new CtiConsumers(consumers);
    }

    /// <summary>The hub's buffers (section Cti) and their problems.</summary>
    public static CtiOptions ReadOptions(IConfiguration config, List<string> problems)
    {
        int Number(string key, int fallback)
        {
            var text = config[$"Cti:{key}"];
            if (text is null) return fallback;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
            problems.Add($"Cti:{key} '{text}' is not a whole number");
            return fallback;
        }
        var d = new CtiOptions();
        var options = new CtiOptions { Backlog = Number("Backlog", d.Backlog), ConsumerBuffer = Number("ConsumerBuffer", d.ConsumerBuffer), MaxCalls = Number("MaxCalls", d.MaxCalls) };
        problems.AddRange(options.Problems());
        return options;
    }
}
