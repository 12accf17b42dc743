using System.Text.Json.Serialization;

namespace PbxRouter.Ari.Events;

/// <summary>
/// A SIP REFER arrived on a channel whose transfers are handled by the application (PJSIP_TRANSFER_HANDLING(ari-only),
/// Asterisk 20.13/21.8/22.3 and later): Asterisk answered 202 and a NOTIFY "100 Trying", and does nothing more: the
/// application moves the channels and reports the result with POST channels/{id}/transfer_progress.
/// </summary>
public sealed record ChannelTransfer : AriEvent
{
    /// <summary>Transfer state (Asterisk leaves it empty or "unknown" for a new REFER).</summary>
    public string? State { get; init; }
    [JsonRequired]
    public ReferTo ReferTo { get; init; } = null!;
    [JsonRequired]
    public ReferredBy ReferredBy { get; init; } = null!;

    /// <summary>
    /// True for a new REFER. Asterisk 22 sends the event again, with <see cref="State"/> set to what the application
    /// reported (channel_answered, channel_declined...), after each transfer_progress (verified with SIPp).
    /// </summary>
    [JsonIgnore]
    public bool IsRequest => string.IsNullOrEmpty(State) || State == "unknown";

    /// <summary>Routed by the channel the REFER came on, then by the channels it names.</summary>
    [JsonIgnore]
    public override IEnumerable<string> ChannelIds
    {
        get
        {
            if (ReferredBy?.SourceChannel is { } source) yield return source.Id;
            if (ReferredBy?.ConnectedChannel is { } connected) yield return connected.Id;
            if (ReferTo?.DestinationChannel is { } destination) yield return destination.Id;
            if (ReferTo?.ConnectedChannel is { } target) yield return target.Id;
        }
    }
}

/// <summary>Where the REFER asks to transfer to: a destination (blind), or a call to replace (attended, with Replaces).</summary>
public sealed record ReferTo
{
    [JsonRequired]
    public RequiredDestination RequestedDestination { get; init; } = null!;
    /// <summary>Attended: the channel of the consultation call that the transfer replaces (found by its SIP Call-ID).</summary>
    public Channel? DestinationChannel { get; init; }
    /// <summary>Attended: the channel bridged with <see cref="DestinationChannel"/> (the transfer target).</summary>
    public Channel? ConnectedChannel { get; init; }
    /// <summary>Attended: the bridge joining the two.</summary>
    public Bridge? Bridge { get; init; }
}

/// <summary>The destination as the phone sent it.</summary>
public sealed record RequiredDestination
{
    /// <summary>Attended: the SIP Call-ID of the call to replace.</summary>
    public string? ProtocolId { get; init; }
    /// <summary>Blind: the user part of the Refer-To URI (what the secretary dialled).</summary>
    public string? Destination { get; init; }
    public IReadOnlyList<AdditionalParam>? AdditionalProtocolParams { get; init; }
}

/// <summary>A protocol parameter of the REFER (e.g. the Replaces tags).</summary>
public sealed record AdditionalParam
{
    public string ParameterName { get; init => field = value ?? ""; } = "";
    public string ParameterValue { get; init => field = value ?? ""; } = "";
}

/// <summary>Who sent the REFER: the channel it came on, and the channel and bridge it is connected to.</summary>
public sealed record ReferredBy
{
    [JsonRequired]
    public Channel SourceChannel { get; init; } = null!;
    public Channel? ConnectedChannel { get; init; }
    public Bridge? Bridge { get; init; }
}
