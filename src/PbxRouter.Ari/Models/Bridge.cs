using System.Text.Json.Serialization;

namespace PbxRouter.Ari;

/// <summary>An Asterisk bridge (bridges.json "Bridge").</summary>
public sealed record Bridge
{
    public string Id { get; init => field = value ?? ""; } = "";
    public string Technology { get; init => field = value ?? ""; } = "";
    /// <summary>mixing or holding.</summary>
    public string BridgeType { get; init => field = value ?? ""; } = "";
    public string BridgeClass { get; init => field = value ?? ""; } = "";
    public string Creator { get; init => field = value ?? ""; } = "";
    public string Name { get; init => field = value ?? ""; } = "";
    public IReadOnlyList<string> Channels { get; init => field = value ?? []; } = [];
    public string? VideoMode { get; init; }
    public string? VideoSourceId { get; init; }
    [JsonPropertyName("creationtime")]
    public DateTimeOffset CreationTime { get; init; }
    [JsonPropertyName("bridgevars")]
    public IReadOnlyDictionary<string, string>? BridgeVars { get; init; }
}
