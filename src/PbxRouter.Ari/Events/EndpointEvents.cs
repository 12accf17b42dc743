using System.Text.Json.Serialization;

namespace PbxRouter.Ari.Events;

/// <summary>A device's state changed (needs a deviceState: subscription).</summary>
public sealed record DeviceStateChanged : AriEvent
{
    [JsonRequired]
    public DeviceState DeviceState { get; init; } = null!;
}

/// <summary>An endpoint's state changed (online/offline).</summary>
public sealed record EndpointStateChange : AriEvent
{
    [JsonRequired]
    public Endpoint Endpoint { get; init; } = null!;
}

/// <summary>A PJSIP contact became reachable or unreachable.</summary>
public sealed record ContactStatusChange : AriEvent
{
    [JsonRequired]
    public Endpoint Endpoint { get; init; } = null!;
    [JsonRequired]
    public ContactInfo ContactInfo { get; init; } = null!;
}
