namespace PbxRouter.Ari;

/// <summary>Parameters of POST /channels (originate). Without App/Extension the call enters the client's application.</summary>
public sealed record OriginateRequest
{
    /// <summary>Dial string, e.g. PJSIP/alice or PJSIP/0612345678@trunk.</summary>
    public required string Endpoint { get; init; }
    public string? App { get; init; }
    public string? AppArgs { get; init; }
    public string? Extension { get; init; }
    public string? Context { get; init; }
    public long? Priority { get; init; }
    public string? Label { get; init; }
    /// <summary>"Name" &lt;number&gt;.</summary>
    public string? CallerId { get; init; }
    /// <summary>Seconds to wait for an answer (Asterisk default 30).</summary>
    public int? Timeout { get; init; }
    public string? ChannelId { get; init; }
    public string? OtherChannelId { get; init; }
    public string? Originator { get; init; }
    public string? Formats { get; init; }
    /// <summary>Set before dialling: CALLERID(...), CONNECTEDLINE(...), PJSIP_HEADER(add,X-...) work here.</summary>
    public IReadOnlyDictionary<string, string>? Variables { get; init; }
}

/// <summary>Parameters of POST /channels/create: a channel in Stasis at once, dialled later with DialAsync.</summary>
public sealed record CreateChannelRequest
{
    public required string Endpoint { get; init; }
    /// <summary>Defaults to the client's application.</summary>
    public string? App { get; init; }
    public string? AppArgs { get; init; }
    public string? ChannelId { get; init; }
    public string? OtherChannelId { get; init; }
    public string? Originator { get; init; }
    public string? Formats { get; init; }
    public IReadOnlyDictionary<string, string>? Variables { get; init; }
}

/// <summary>Parameters of POST /channels/{id}/record.</summary>
public sealed record RecordRequest
{
    /// <summary>Recording name (file name without extension, may contain a sub-directory).</summary>
    public required string Name { get; init; }
    public string Format { get; init; } = "wav";
    public int? MaxDurationSeconds { get; init; }
    public int? MaxSilenceSeconds { get; init; }
    /// <summary>fail, overwrite or append.</summary>
    public string? IfExists { get; init; }
    public bool? Beep { get; init; }
    /// <summary>none, any, *, #.</summary>
    public string? TerminateOn { get; init; }
}
