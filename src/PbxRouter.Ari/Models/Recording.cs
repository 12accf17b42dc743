namespace PbxRouter.Ari;

/// <summary>A recording in progress (recordings.json "LiveRecording").</summary>
public sealed record LiveRecording
{
    public string Name { get; init => field = value ?? ""; } = "";
    public string Format { get; init => field = value ?? ""; } = "";
    /// <summary>channel:ID or bridge:ID.</summary>
    public string TargetUri { get; init => field = value ?? ""; } = "";
    /// <summary>queued, recording, paused, done, failed, canceled.</summary>
    public string State { get; init => field = value ?? ""; } = "";
    public int? Duration { get; init; }
    public int? TalkingDuration { get; init; }
    public int? SilenceDuration { get; init; }
    public string? Cause { get; init; }

    /// <summary>The channel id when the target is a channel, else null.</summary>
    public string? TargetChannelId =>
        TargetUri.StartsWith("channel:", StringComparison.Ordinal) ? TargetUri["channel:".Length..] : null;

    /// <summary>The bridge id when the target is a bridge, else null.</summary>
    public string? TargetBridgeId =>
        TargetUri.StartsWith("bridge:", StringComparison.Ordinal) ? TargetUri["bridge:".Length..] : null;
}

/// <summary>A finished recording stored by Asterisk (recordings.json "StoredRecording").</summary>
public sealed record StoredRecording
{
    public string Name { get; init => field = value ?? ""; } = "";
    public string Format { get; init => field = value ?? ""; } = "";
}
