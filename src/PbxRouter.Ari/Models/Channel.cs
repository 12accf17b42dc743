using System.Text.Json.Serialization;

namespace PbxRouter.Ari;

/// <summary>An Asterisk channel (channels.json "Channel").</summary>
public sealed record Channel
{
    public string Id { get; init => field = value ?? ""; } = "";
    public string? ProtocolId { get; init; }
    /// <summary>Technology name, e.g. PJSIP/alice-00000001.</summary>
    public string Name { get; init => field = value ?? ""; } = "";
    /// <summary>Down, Rsrvd, OffHook, Dialing, Ring, Ringing, Up, Busy, Dialing Offhook, Pre-ring, Unknown.</summary>
    public string State { get; init => field = value ?? ""; } = "";
    public CallerId Caller { get; init => field = value ?? CallerId.Empty; } = CallerId.Empty;
    public CallerId Connected { get; init => field = value ?? CallerId.Empty; } = CallerId.Empty;
    public string? Accountcode { get; init; }
    public DialplanCep? Dialplan { get; init; }
    [JsonPropertyName("creationtime")]
    public DateTimeOffset CreationTime { get; init; }
    public string? Language { get; init; }
    /// <summary>Variables listed in ari.conf channelvars, when configured.</summary>
    [JsonPropertyName("channelvars")]
    public IReadOnlyDictionary<string, string>? ChannelVars { get; init; }
    public string? CallerRdnis { get; init; }
    [JsonPropertyName("tenantid")]
    public string? TenantId { get; init; }
}

/// <summary>Caller id name and number (channels.json "CallerID").</summary>
public sealed record CallerId
{
    public static readonly CallerId Empty = new();
    public string Name { get; init => field = value ?? ""; } = "";
    public string Number { get; init => field = value ?? ""; } = "";
}

/// <summary>Dialplan location of a channel (channels.json "DialplanCEP").</summary>
public sealed record DialplanCep
{
    public string Context { get; init => field = value ?? ""; } = "";
    public string Exten { get; init => field = value ?? ""; } = "";
    public long Priority { get; init; }
    public string? AppName { get; init; }
    public string? AppData { get; init; }
}
