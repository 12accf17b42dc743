using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PbxRouter.Ari.Json;

/// <summary>Reads Asterisk timestamps, which carry the offset without a colon ("2024-03-01T10:00:00.123+0100").</summary>
internal sealed class AriDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("Expected a timestamp string");
        ReadOnlySpan<byte> utf8 = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (TryParseAsterisk(utf8, out var fast)) return fast;
        if (reader.TryGetDateTimeOffset(out var iso)) return iso;
        if (utf8.Length == 0) return default;
        if (utf8.Length > 64) throw new JsonException("Timestamp too long");
        Span<char> chars = stackalloc char[64];
        int n = Encoding.UTF8.GetChars(utf8, chars);
        if (DateTimeOffset.TryParse(chars[..n], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            return value;
        throw new JsonException($"Invalid timestamp '{chars[..n].ToString()}'");
    }

    /// <summary>Fast path for the exact layout Asterisk writes: yyyy-MM-ddTHH:mm:ss.fff+HHMM (28 bytes).</summary>
    internal static bool TryParseAsterisk(ReadOnlySpan<byte> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length != 28 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.'
            || (s[23] != '+' && s[23] != '-'))
            return false;
        if (!Digits(s, 0, 4, out int year) || !Digits(s, 5, 2, out int month) || !Digits(s, 8, 2, out int day)
            || !Digits(s, 11, 2, out int hour) || !Digits(s, 14, 2, out int minute) || !Digits(s, 17, 2, out int second)
            || !Digits(s, 20, 3, out int ms) || !Digits(s, 24, 2, out int offH) || !Digits(s, 26, 2, out int offM))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59 || offH > 14 || offM > 59)
            return false;
        var offset = new TimeSpan(offH, offM, 0);
        value = new DateTimeOffset(year, month, day, hour, minute, second, ms, s[23] == '-' ? -offset : offset);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            int d = s[i] - '0';
            if ((uint)d > 9) return false;
            value = value * 10 + d;
        }
        return true;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}
