using System.Text.Json.Serialization;

namespace PbxRouter.Ari.Events;

/// <summary>Base of events about one channel.</summary>
public abstract record ChannelEvent : AriEvent
{
    [JsonRequired]
    public Channel Channel { get; init; } = null!;

    [JsonIgnore]
    public override IEnumerable<string> ChannelIds => Channel is null ? [] : [Channel.Id];
}

/// <summary>The channel's state changed (e.g. Ringing, Up).</summary>
public sealed record ChannelStateChange : ChannelEvent;

/// <summary>A DTMF digit ended on the channel.</summary>
public sealed record ChannelDtmfReceived : ChannelEvent
{
    /// <summary>0-9, A-E, # or *.</summary>
    public string Digit { get; init => field = value ?? ""; } = "";
    public int DurationMs { get; init; }
}

/// <summary>A hang-up was requested on the channel (first of the hang-up events).</summary>
public sealed record ChannelHangupRequest : ChannelEvent
{
    /// <summary>Q.850 cause code.</summary>
    public int? Cause { get; init; }
    public int? TechCause { get; init; }
    public bool? Soft { get; init; }
}

/// <summary>The channel is gone (last event of a channel).</summary>
public sealed record ChannelDestroyed : ChannelEvent
{
    /// <summary>Q.850 cause code (16 normal clearing, 17 busy, 19 no answer...).</summary>
    public int Cause { get; init; }
    public string CauseTxt { get; init => field = value ?? ""; } = "";
    public int? TechCause { get; init; }
}

/// <summary>A channel variable was set (the channel is null for global variables).</summary>
public sealed record ChannelVarset : AriEvent
{
    public string Variable { get; init => field = value ?? ""; } = "";
    public string Value { get; init => field = value ?? ""; } = "";
    public Channel? Channel { get; init; }

    [JsonIgnore]
    public override IEnumerable<string> ChannelIds => Channel is null ? [] : [Channel.Id];
}

/// <summary>Progress of a dial: dialstatus empty when it starts, then ANSWER, BUSY, NOANSWER, CANCEL, CHANUNAVAIL...</summary>
public sealed record Dial : AriEvent
{
    /// <summary>The calling channel, when the dial was given one.</summary>
    public Channel? Caller { get; init; }
    /// <summary>The dialled channel.</summary>
    [JsonRequired]
    public Channel Peer { get; init; } = null!;
    public string? Forward { get; init; }
    public Channel? Forwarded { get; init; }
    [JsonPropertyName("dialstring")]
    public string? DialString { get; init; }
    [JsonPropertyName("dialstatus")]
    public string DialStatus { get; init => field = value ?? ""; } = "";

    [JsonIgnore]
    public override IEnumerable<string> ChannelIds
    {
        get
        {
            if (Caller is not null) yield return Caller.Id;
            if (Peer is not null) yield return Peer.Id;
            if (Forwarded is not null) yield return Forwarded.Id;
        }
    }
}
