using System.Text.Json.Serialization;

namespace PbxRouter.Ari.Events;

/// <summary>Base of every ARI event received on the application WebSocket (events.json "Event").</summary>
public abstract record AriEvent
{
    /// <summary>Event type name as Asterisk sends it, e.g. StasisStart.</summary>
    public string Type { get; init => field = value ?? ""; } = "";
    public string Application { get; init => field = value ?? ""; } = "";
    public DateTimeOffset Timestamp { get; init; }
    public string? AsteriskId { get; init; }

    /// <summary>Ids of the channels this event concerns, used to route it to its call's queue.</summary>
    [JsonIgnore]
    public virtual IEnumerable<string> ChannelIds => [];

    /// <summary>The bridge this event concerns, if any (a second routing key after the channels).</summary>
    [JsonIgnore]
    public virtual string? BridgeId => null;
}
