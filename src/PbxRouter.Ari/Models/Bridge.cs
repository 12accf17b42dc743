using System.Text.Json.Serialization;

namespace PbxRouter.Ari;

/// <summary>An Asterisk bridge (bridges.json "Bridge").</summary>
public sealed record Bridge
{
    public string Id { get; init; } = "";
    public string Technology { get; init; } = "";
    /// <summary>mixing or holding.</summary>
    public string BridgeType { get; init; } = "";
    public string BridgeClass { get; init; } = "";
    public string Creator { get; init; } = "";
    public string Name { get; init; } = "";
    public IReadOnlyList<string> Channels { get; init; } = [];
    public string? VideoMode { get; init; }
    public string? VideoSourceId { get; init; }
    [JsonPropertyName("creationtime")]
    public DateTimeOffset CreationTime { get; init; }
    [JsonPropertyName("bridgevars")]
    public IReadOnlyDictionary<string, string>? BridgeVars { get; init; }
}
