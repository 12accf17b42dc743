using PbxRouter.Ari;
using PbxRouter.Ari.Events;

namespace PbxRouter.Calls.Tests.Support;

/// <summary>ARI events as Asterisk would send them, built in one line.</summary>
internal static class Events
{
    public static Channel Ch(string id, string state = "Up") => new() { Id = id, State = state };

    public static Dial Dial(string peer, string status) => new() { Type = "Dial", Peer = Ch(peer), DialStatus = status };

    public static ChannelDtmfReceived Dtmf(string channel, string digit) => new() { Type = "ChannelDtmfReceived", Channel = Ch(channel), Digit = digit };

    public static PlaybackFinished PlaybackFinished(string channel, string playbackId) =>
        new() { Type = "PlaybackFinished", Playback = new Playback { Id = playbackId, TargetUri = $"channel:{channel}", State = "done" } };

    public static ChannelHangupRequest Hangup(string channel) => new() { Type = "ChannelHangupRequest", Channel = Ch(channel) };

    public static RecordingFinished RecordingFinished(string channel, string name, int duration) =>
        new() { Type = "RecordingFinished", Recording = new LiveRecording { Name = name, TargetUri = $"channel:{channel}", State = "done", Duration = duration } };

    /// <summary>The playback id of a "POST channels/X/play/ID?..." request line.</summary>
    public static string PlaybackIdOf(string requestLine) => requestLine.Split('/')[3].Split('?')[0];

    /// <summary>The channel id of a "POST channels/X/..." request line.</summary>
    public static string ChannelOf(string requestLine) => requestLine.Split('/')[1].Split('?')[0];

    /// <summary>A query parameter of a request line.</summary>
    public static string Param(string requestLine, string name) =>
        requestLine.Split('?', 2)[1].Split('&').Select(p => p.Split('=', 2)).First(p => p[0] == name)[1];
}
