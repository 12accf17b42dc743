using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PbxRouter.Ari.Json;

namespace PbxRouter.Ari.Events;

/// <summary>Turns one WebSocket frame (UTF-8 JSON) into a typed <see cref="AriEvent"/> without building a DOM.</summary>
public static class AriEventDecoder
{
    private static readonly Dictionary<string, JsonTypeInfo> ByType = BuildMap();
    private static readonly Dictionary<string, JsonTypeInfo>.AlternateLookup<ReadOnlySpan<char>> ByTypeSpan =
        ByType.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The event types this decoder understands (the default event filter).</summary>
    public static IReadOnlyList<string> KnownTypes { get; } = [.. ByType.Keys];

    /// <summary>Decodes a frame; null when its type is not one of <see cref="KnownTypes"/>. Throws <see cref="JsonException"/> on malformed JSON.</summary>
    public static AriEvent? Decode(ReadOnlySpan<byte> utf8)
    {
        var status = TryDecode(utf8, out var evt, out _, out var error);
        return status == AriDecodeStatus.Invalid ? throw error! : evt;
    }

    internal static AriDecodeStatus TryDecode(ReadOnlySpan<byte> utf8, out AriEvent? evt, out string? type, out JsonException? error)
    {
        evt = null;
        type = null;
        error = null;
        try
        {
            if (!TryFindType(utf8, out var info, out type))
                return type is null ? Fail(out error, "no \"type\" property") : AriDecodeStatus.UnknownType;
            evt = JsonSerializer.Deserialize(utf8, info!) as AriEvent;
            type = evt?.Type;
            return evt is null ? Fail(out error, "event decoded to null") : AriDecodeStatus.Decoded;
        }
        catch (JsonException e)
        {
            error = e;
            return AriDecodeStatus.Invalid;
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or FormatException or ArgumentException)
        {
            error = new JsonException(e.Message, e);
            return AriDecodeStatus.Invalid;
        }
    }

    // One forward pass over the top-level properties; Asterisk writes "type" first, so this usually stops at once.
    private static bool TryFindType(ReadOnlySpan<byte> utf8, out JsonTypeInfo? info, out string? type)
    {
        info = null;
        type = null;
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("Event is not a JSON object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isType = reader.ValueTextEquals("type"u8);
            if (!reader.Read()) break;
            if (!isType)
            {
                reader.Skip();
                continue;
            }
            if (reader.TokenType != JsonTokenType.String) throw new JsonException("\"type\" is not a string");
            if (!reader.ValueIsEscaped && reader.ValueSpan.Length <= 64)
            {
                Span<char> name = stackalloc char[64];
                int n = Encoding.UTF8.GetChars(reader.ValueSpan, name);
                if (ByTypeSpan.TryGetValue(name[..n], out info)) return true;
                type = name[..n].ToString();
                return false;
            }
            type = reader.GetString()!;
            if (!ByType.TryGetValue(type, out info)) return false;
            type = null;
            return true;
        }
        return false;
    }

    private static AriDecodeStatus Fail(out JsonException error, string message)
    {
        error = new JsonException(message);
        return AriDecodeStatus.Invalid;
    }

    private static Dictionary<string, JsonTypeInfo> BuildMap()
    {
        var c = AriJsonContext.Default;
        JsonTypeInfo[] infos =
        [
            c.StasisStart, c.StasisEnd, c.ChannelStateChange, c.ChannelDtmfReceived, c.ChannelHangupRequest,
            c.ChannelDestroyed, c.ChannelEnteredBridge, c.ChannelLeftBridge, c.ChannelVarset, c.Dial,
            c.PlaybackStarted, c.PlaybackFinished, c.RecordingStarted, c.RecordingFinished, c.RecordingFailed,
            c.DeviceStateChanged, c.EndpointStateChange, c.ContactStatusChange, c.BridgeDestroyed, c.ApplicationReplaced, c.ChannelTransfer,
        ];
        return infos.ToDictionary(i => i.Type.Name, StringComparer.Ordinal);
    }
}

/// <summary>Outcome of decoding one frame.</summary>
internal enum AriDecodeStatus
{
    Decoded,
    UnknownType,
    Invalid,
}
