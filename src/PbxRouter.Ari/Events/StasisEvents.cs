using System.Text.Json.Serialization;

namespace PbxRouter.Ari.Events;

/// <summary>A channel entered the application (Stasis() in the dialplan, originate or create).</summary>
public sealed record StasisStart : AriEvent
{
    [JsonRequired]
    public Channel Channel { get; init; } = null!;
    /// <summary>Arguments of Stasis(app,arg1,arg2...) or appArgs.</summary>
    public IReadOnlyList<string> Args { get; init => field = value ?? []; } = [];
    /// <summary>Set when this channel replaces another one (masquerade, e.g. after a transfer).</summary>
    public Channel? ReplaceChannel { get; init; }

    [JsonIgnore]
    public override IEnumerable<string> ChannelIds
    {
        get
        {
            if (Channel is not null) yield return Channel.Id;
            if (ReplaceChannel is not null) yield return ReplaceChannel.Id;
        }
    }
}

/// <summary>A channel left the application (hung up, continued or redirected).</summary>
public sealed record StasisEnd : AriEvent
{
    [JsonRequired]
    public Channel Channel { get; init; } = null!;

    [JsonIgnore]
    public override IEnumerable<string> ChannelIds => Channel is null ? [] : [Channel.Id];
}

/// <summary>The application was registered by a newer WebSocket: this connection no longer receives events.</summary>
public sealed record ApplicationReplaced : AriEvent;
