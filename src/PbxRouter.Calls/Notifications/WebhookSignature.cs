using System.Security.Cryptography;
using System.Text;

namespace PbxRouter.Calls.Notifications;

/// <summary>
/// The signature of a webhook POST: HMAC-SHA256, keyed with the target's secret, over "TIMESTAMP.BODY" (Unix seconds, a dot,
/// the exact body bytes), sent as X-PbxRouter-Signature: v1=HEX (lower-case) with X-PbxRouter-Timestamp: TIMESTAMP.
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-PbxRouter-Timestamp";
    public const string SignatureHeader = "X-PbxRouter-Signature";
    public const string DeliveryHeader = "X-PbxRouter-Delivery";

    /// <summary>"v1=" and the HMAC-SHA256 of "<paramref name="timestamp"/>.<paramref name="body"/>" in lower-case hex.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>
    /// What a receiver does: the signature matches (constant-time comparison) and the timestamp is within
    /// <paramref name="tolerance"/> of <paramref name="now"/>, so an old request replayed later is refused.
    /// </summary>
    public static bool Verify(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestampHeader, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ts)
            || signatureHeader is null)
            return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - ts) > tolerance.TotalSeconds) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, ts, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signatureHeader));
    }
}
