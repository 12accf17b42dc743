using System.Text.Json.Serialization;

namespace PbxRouter.Ari.Events;

/// <summary>A channel joined a bridge.</summary>
public sealed record ChannelEnteredBridge : AriEvent
{
    [JsonRequired]
    public Bridge Bridge { get; init; } = null!;
    public Channel? Channel { get; init; }

    [JsonIgnore]
    public override IEnumerable<string> ChannelIds => Channel is null ? [] : [Channel.Id];

    [JsonIgnore]
    public override string? BridgeId => Bridge?.Id;
}

/// <summary>A channel left a bridge.</summary>
public sealed record ChannelLeftBridge : AriEvent
{
    [JsonRequired]
    public Bridge Bridge { get; init; } = null!;
    [JsonRequired]
    public Channel Channel { get; init; } = null!;

    [JsonIgnore]
    public override IEnumerable<string> ChannelIds => Channel is null ? [] : [Channel.Id];

    [JsonIgnore]
    public override string? BridgeId => Bridge?.Id;
}

/// <summary>A bridge was destroyed.</summary>
public sealed record BridgeDestroyed : AriEvent
{
    [JsonRequired]
    public Bridge Bridge { get; init; } = null!;

    [JsonIgnore]
    public override string? BridgeId => Bridge?.Id;
}
