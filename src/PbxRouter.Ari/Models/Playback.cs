namespace PbxRouter.Ari;

/// <summary>A media playback on a channel or bridge (playbacks.json "Playback").</summary>
public sealed record Playback
{
    public string Id { get; init => field = value ?? ""; } = "";
    public string MediaUri { get; init => field = value ?? ""; } = "";
    public string? NextMediaUri { get; init; }
    /// <summary>channel:ID or bridge:ID.</summary>
    public string TargetUri { get; init => field = value ?? ""; } = "";
    public string? Language { get; init; }
    /// <summary>queued, playing, continuing, done, failed.</summary>
    public string State { get; init => field = value ?? ""; } = "";

    /// <summary>The channel id when the target is a channel, else null.</summary>
    public string? TargetChannelId => TargetId("channel:");

    /// <summary>The bridge id when the target is a bridge, else null.</summary>
    public string? TargetBridgeId => TargetId("bridge:");

    private string? TargetId(string prefix) =>
        TargetUri.StartsWith(prefix, StringComparison.Ordinal) ? TargetUri[prefix.Length..] : null;
}
