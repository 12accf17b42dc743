using System.Text.Json.Serialization;
using PbxRouter.Ari.Events;

namespace PbxRouter.Ari.Json;

/// <summary>Source-generated System.Text.Json metadata for every ARI model, event and request body. What the models declare
/// is enforced when reading: no null where a value is not nullable, no missing [JsonRequired] member (an event without the
/// channel it is about), no null item in a list or map of strings, no property given twice; such a frame is undecodable.
/// A member simply absent keeps its default: the models' init accessors turn null into it (init => field = value ?? ""),
/// because source generation passes null for an absent init-only property instead of keeping its initializer (dotnet/runtime#84484).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    AllowDuplicateProperties = false,
    Converters = [typeof(AriDateTimeOffsetConverter), typeof(StringListConverter), typeof(StringMapConverter)])]
[JsonSerializable(typeof(Channel))]
[JsonSerializable(typeof(List<Channel>))]
[JsonSerializable(typeof(Bridge))]
[JsonSerializable(typeof(List<Bridge>))]
[JsonSerializable(typeof(Playback))]
[JsonSerializable(typeof(LiveRecording))]
[JsonSerializable(typeof(StoredRecording))]
[JsonSerializable(typeof(List<StoredRecording>))]
[JsonSerializable(typeof(DeviceState))]
[JsonSerializable(typeof(List<DeviceState>))]
[JsonSerializable(typeof(Application))]
[JsonSerializable(typeof(Endpoint))]
[JsonSerializable(typeof(List<Endpoint>))]
[JsonSerializable(typeof(AsteriskInfo))]
[JsonSerializable(typeof(List<ConfigTuple>))]
[JsonSerializable(typeof(Variable))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(VariablesBody))]
[JsonSerializable(typeof(FieldsBody))]
[JsonSerializable(typeof(EventFilterBody))]
[JsonSerializable(typeof(StasisStart))]
[JsonSerializable(typeof(StasisEnd))]
[JsonSerializable(typeof(ApplicationReplaced))]
[JsonSerializable(typeof(ChannelStateChange))]
[JsonSerializable(typeof(ChannelDtmfReceived))]
[JsonSerializable(typeof(ChannelHangupRequest))]
[JsonSerializable(typeof(ChannelDestroyed))]
[JsonSerializable(typeof(ChannelVarset))]
[JsonSerializable(typeof(Dial))]
[JsonSerializable(typeof(ChannelEnteredBridge))]
[JsonSerializable(typeof(ChannelLeftBridge))]
[JsonSerializable(typeof(BridgeDestroyed))]
[JsonSerializable(typeof(PlaybackStarted))]
[JsonSerializable(typeof(PlaybackFinished))]
[JsonSerializable(typeof(RecordingStarted))]
[JsonSerializable(typeof(RecordingFinished))]
[JsonSerializable(typeof(RecordingFailed))]
[JsonSerializable(typeof(DeviceStateChanged))]
[JsonSerializable(typeof(EndpointStateChange))]
[JsonSerializable(typeof(ContactStatusChange))]
[JsonSerializable(typeof(ChannelTransfer))]
internal sealed partial class AriJsonContext : JsonSerializerContext;

/// <summary>Body of an ARI error response: {"message": "..."}.</summary>
internal sealed record ErrorBody(string? Message);

/// <summary>Body carrying channel variables: {"variables": {...}}.</summary>
internal sealed record VariablesBody(IReadOnlyDictionary<string, string> Variables);

/// <summary>Body of PUT asterisk/config/dynamic: {"fields": [{attribute, value}]}.</summary>
internal sealed record FieldsBody(IReadOnlyList<ConfigTuple> Fields);

/// <summary>Body of PUT applications/{app}/eventFilter: {"allowed": [{"type": ...}]}.</summary>
internal sealed record EventFilterBody(IReadOnlyList<EventTypeName> Allowed);

/// <summary>One entry of an event filter list.</summary>
internal sealed record EventTypeName(string Type);
