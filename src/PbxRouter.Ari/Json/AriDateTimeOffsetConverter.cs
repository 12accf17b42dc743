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
        if (reader.TryGetDateTimeOffset(out var iso)) return iso;

        ReadOnlySpan<byte> utf8 = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (utf8.Length == 0) return default;
        if (utf8.Length > 64) throw new JsonException("Timestamp too long");
        Span<char> chars = stackalloc char[64];
        int n = Encoding.UTF8.GetChars(utf8, chars);
        if (DateTimeOffset.TryParse(chars[..n], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            return value;
        throw new JsonException($"Invalid timestamp '{chars[..n].ToString()}'");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}
