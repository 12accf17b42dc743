namespace PbxRouter.Ari;

/// <summary>An endpoint such as PJSIP/alice (endpoints.json "Endpoint").</summary>
public sealed record Endpoint
{
    public string Technology { get; init => field = value ?? ""; } = "";
    public string Resource { get; init => field = value ?? ""; } = "";
    /// <summary>unknown, offline, online.</summary>
    public string? State { get; init; }
    public IReadOnlyList<string> ChannelIds { get; init => field = value ?? []; } = [];
}

/// <summary>A PJSIP contact's reachability (events.json "ContactInfo").</summary>
public sealed record ContactInfo
{
    public string Uri { get; init => field = value ?? ""; } = "";
    /// <summary>Unreachable, Reachable, Unknown, NonQualified, Removed, Updated.</summary>
    public string ContactStatus { get; init => field = value ?? ""; } = "";
    public string Aor { get; init => field = value ?? ""; } = "";
    public string? RoundtripUsec { get; init; }
}
