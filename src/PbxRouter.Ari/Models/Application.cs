using System.Text.Json;

namespace PbxRouter.Ari;

/// <summary>A Stasis application and what it is subscribed to (applications.json "Application").</summary>
public sealed record Application
{
    public string Name { get; init => field = value ?? ""; } = "";
    /// <summary>Channels currently in the application: the resync source after a reconnect.</summary>
    public IReadOnlyList<string> ChannelIds { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> BridgeIds { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> EndpointIds { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> DeviceNames { get; init => field = value ?? []; } = [];
    public IReadOnlyList<JsonElement> EventsAllowed { get; init => field = value ?? []; } = [];
    public IReadOnlyList<JsonElement> EventsDisallowed { get; init => field = value ?? []; } = [];
}
