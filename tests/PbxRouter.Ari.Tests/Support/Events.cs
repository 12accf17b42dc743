using PbxRouter.Ari.Events;

namespace PbxRouter.Ari.Tests.Support;

/// <summary>Small event builders for queue tests.</summary>
internal static class Ev
{
    public static Channel Ch(string id) => new() { Id = id };

    public static StasisStart Start(string channelId) => new() { Type = "StasisStart", Channel = Ch(channelId) };

    public static ChannelDtmfReceived Dtmf(string channelId, string digit = "1") =>
        new() { Type = "ChannelDtmfReceived", Channel = Ch(channelId), Digit = digit };

    public static ChannelHangupRequest Hangup(string channelId) => new() { Type = "ChannelHangupRequest", Channel = Ch(channelId) };

    public static ChannelDestroyed Destroyed(string channelId) => new() { Type = "ChannelDestroyed", Channel = Ch(channelId), Cause = 16 };

    public static ChannelVarset Numbered(string channelId, int seq) =>
        new() { Type = "ChannelVarset", Channel = Ch(channelId), Variable = "SEQ", Value = seq.ToString() };
}
