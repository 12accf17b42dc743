using System.Text.Json.Serialization;

namespace PbxRouter.Ari.Events;

/// <summary>Base of playback events; routed by the playback's target channel or bridge.</summary>
public abstract record PlaybackEvent : AriEvent
{
    [JsonRequired]
    public Playback Playback { get; init; } = null!;

    [JsonIgnore]
    public override IEnumerable<string> ChannelIds =>
        Playback?.TargetChannelId is { } id ? [id] : [];

    [JsonIgnore]
    public override string? BridgeId => Playback?.TargetBridgeId;
}

/// <summary>A playback started.</summary>
public sealed record PlaybackStarted : PlaybackEvent;

/// <summary>A playback finished (state done or failed), or was stopped.</summary>
public sealed record PlaybackFinished : PlaybackEvent;

/// <summary>Base of recording events; routed by the recording's target channel or bridge.</summary>
public abstract record RecordingEvent : AriEvent
{
    [JsonRequired]
    public LiveRecording Recording { get; init; } = null!;

    [JsonIgnore]
    public override IEnumerable<string> ChannelIds =>
        Recording?.TargetChannelId is { } id ? [id] : [];

    [JsonIgnore]
    public override string? BridgeId => Recording?.TargetBridgeId;
}

/// <summary>A recording started.</summary>
public sealed record RecordingStarted : RecordingEvent;

/// <summary>A recording finished; the file is now a stored recording.</summary>
public sealed record RecordingFinished : RecordingEvent;

/// <summary>A recording failed (see Recording.Cause).</summary>
public sealed record RecordingFailed : RecordingEvent;
