using System.Text.Json;
using PbxRouter.Ari.Events;
using static PbxRouter.Ari.Tests.Support.AriSamples;

namespace PbxRouter.Ari.Tests.Events;

public class AriEventDecoderTests
{
    [Test]
    public void Decode_StasisStart_ReadsChannelCallerDialplanAndChannelVars()
    {
        var e = (StasisStart)AriEventDecoder.Decode(Utf8(StasisStartJson))!;

        Assert.That(e.Type, Is.EqualTo("StasisStart"));
        Assert.That(e.Application, Is.EqualTo("pbxrouter"));
        Assert.That(e.AsteriskId, Is.EqualTo("02:42:ac:11:00:02"));
        Assert.That(e.Timestamp, Is.EqualTo(new DateTimeOffset(2025, 1, 20, 10, 15, 42, 318, TimeSpan.FromHours(1))));
        Assert.That(e.Args, Is.EqualTo(new[] { "inbound", "0145000000" }));
        Assert.That(e.ReplaceChannel, Is.Null);
        var c = e.Channel;
        Assert.That(c.Id, Is.EqualTo("1737364542.12"));
        Assert.That(c.Name, Is.EqualTo("PJSIP/trunk-0000000a"));
        Assert.That(c.State, Is.EqualTo("Ring"));
        Assert.That(c.ProtocolId, Is.EqualTo("3c2a1b7f@10.0.0.1"));
        Assert.That(c.Caller, Is.EqualTo(new CallerId { Name = "Patient", Number = "+33612345678" }));
        Assert.That(c.Connected.Number, Is.Empty);
        Assert.That(c.Dialplan, Is.EqualTo(new DialplanCep
        {
            Context = "from-trunk", Exten = "0145000000", Priority = 3, AppName = "Stasis", AppData = "pbxrouter,inbound,0145000000",
        }));
        Assert.That(c.CreationTime, Is.EqualTo(new DateTimeOffset(2025, 1, 20, 10, 15, 42, 301, TimeSpan.FromHours(1))));
        Assert.That(c.Language, Is.EqualTo("fr"));
        Assert.That(c.ChannelVars!["PJSIP_HEADER(read,X-Practice)"], Is.EqualTo("tilleuls"));
        Assert.That(e.ChannelIds, Is.EqualTo(new[] { "1737364542.12" }));
    }

    [Test]
    public void Decode_Dial_ReadsCallerPeerAndStatus_AndConcernsBothChannels()
    {
        var e = (Dial)AriEventDecoder.Decode(Utf8(DialJson))!;

        Assert.That(e.DialStatus, Is.EqualTo("ANSWER"));
        Assert.That(e.DialString, Is.EqualTo("alice"));
        Assert.That(e.Forward, Is.Empty);
        Assert.That(e.Caller!.Id, Is.EqualTo("1737364542.12"));
        Assert.That(e.Peer.Id, Is.EqualTo("leg-1"));
        Assert.That(e.Peer.Connected.Name, Is.EqualTo("Patient"));
        Assert.That(e.ChannelIds, Is.EqualTo(new[] { "1737364542.12", "leg-1" }));
    }

    [Test]
    public void Decode_DialWithoutCaller_ConcernsOnlyThePeer()
    {
        var e = (Dial)AriEventDecoder.Decode(Utf8(DialWithoutCallerJson))!;

        Assert.That(e.Caller, Is.Null);
        Assert.That(e.DialStatus, Is.Empty);
        Assert.That(e.ChannelIds, Is.EqualTo(new[] { "leg-1" }));
    }

    [Test]
    public void Decode_ChannelDtmfReceived_ReadsDigitAndDuration()
    {
        var e = (ChannelDtmfReceived)AriEventDecoder.Decode(Utf8(DtmfJson))!;

        Assert.That(e.Digit, Is.EqualTo("#"));
        Assert.That(e.DurationMs, Is.EqualTo(120));
        Assert.That(e.Channel.Id, Is.EqualTo("1737364542.12"));
    }

    [Test]
    public void Decode_HangupEvents_ReadCauses()
    {
        var request = (ChannelHangupRequest)AriEventDecoder.Decode(Utf8(HangupRequestJson))!;
        var destroyed = (ChannelDestroyed)AriEventDecoder.Decode(Utf8(ChannelDestroyedJson))!;

        Assert.That(request.Cause, Is.EqualTo(16));
        Assert.That(request.Soft, Is.True);
        Assert.That(destroyed.Cause, Is.EqualTo(16));
        Assert.That(destroyed.CauseTxt, Is.EqualTo("Normal Clearing"));
        Assert.That(destroyed.TechCause, Is.EqualTo(200));
    }

    [Test]
    public void Decode_PlaybackFinished_RoutesToTheTargetChannel()
    {
        var e = (PlaybackFinished)AriEventDecoder.Decode(Utf8(PlaybackFinishedJson))!;

        Assert.That(e.Playback.Id, Is.EqualTo("greeting-1737364542.12"));
        Assert.That(e.Playback.MediaUri, Is.EqualTo("sound:custom/accueil"));
        Assert.That(e.Playback.State, Is.EqualTo("done"));
        Assert.That(e.ChannelIds, Is.EqualTo(new[] { "1737364542.12" }));
        Assert.That(e.BridgeId, Is.Null);
    }

    [Test]
    public void Decode_RecordingFinished_ReadsNameAndDurations()
    {
        var e = (RecordingFinished)AriEventDecoder.Decode(Utf8(RecordingFinishedJson))!;

        Assert.That(e.Recording.Name, Is.EqualTo("voicemail/tilleuls/1737364542.12"));
        Assert.That(e.Recording.Format, Is.EqualTo("wav"));
        Assert.That(e.Recording.Duration, Is.EqualTo(25));
        Assert.That(e.Recording.TalkingDuration, Is.EqualTo(21));
        Assert.That(e.Recording.SilenceDuration, Is.EqualTo(4));
        Assert.That(e.ChannelIds, Is.EqualTo(new[] { "1737364542.12" }));
    }

    [Test]
    public void Decode_ChannelEnteredBridge_ReadsBridgeAndChannel()
    {
        var e = (ChannelEnteredBridge)AriEventDecoder.Decode(Utf8(ChannelEnteredBridgeJson))!;

        Assert.That(e.Bridge.BridgeType, Is.EqualTo("mixing"));
        Assert.That(e.Bridge.Channels, Is.EqualTo(new[] { "1737364542.12", "leg-1" }));
        Assert.That(e.BridgeId, Is.EqualTo("call-1737364542.12"));
        Assert.That(e.ChannelIds, Is.EqualTo(new[] { "leg-1" }));
    }

    [Test]
    public void Decode_DeviceStateChanged_ConcernsNoChannel()
    {
        var e = (DeviceStateChanged)AriEventDecoder.Decode(Utf8(DeviceStateChangedJson))!;

        Assert.That(e.DeviceState, Is.EqualTo(new DeviceState { Name = "Stasis:reception", State = "INUSE" }));
        Assert.That(e.ChannelIds, Is.Empty);
    }

    [Test]
    public void Decode_ApplicationReplaced_IsDecoded() =>
        Assert.That(AriEventDecoder.Decode(Utf8(ApplicationReplacedJson)), Is.TypeOf<ApplicationReplaced>());

    [Test]
    public void Decode_TypeNotFirst_StillFindsIt()
    {
        var json = """{"timestamp":"2025-01-20T10:15:50.640+0100","digit":"5","duration_ms":80,"channel":{"id":"c1","caller":{"name":"","number":""}},"application":"pbxrouter","type":"ChannelDtmfReceived"}""";

        var e = (ChannelDtmfReceived)AriEventDecoder.Decode(Utf8(json))!;

        Assert.That(e.Digit, Is.EqualTo("5"));
        Assert.That(e.Channel.Id, Is.EqualTo("c1"));
    }

    [Test]
    public void Decode_IsoTimestampWithColonOffset_IsAccepted()
    {
        var json = """{"type":"StasisEnd","timestamp":"2025-01-20T10:16:02.5+01:00","channel":{"id":"c1"},"application":"a"}""";

        Assert.That(AriEventDecoder.Decode(Utf8(json))!.Timestamp.Millisecond, Is.EqualTo(500));
    }

    [Test]
    public void Decode_UnknownType_ReturnsNull() =>
        Assert.That(AriEventDecoder.Decode(Utf8(UnknownJson)), Is.Null);

    [TestCase("not json at all")]
    [TestCase("[1,2,3]")]
    [TestCase("""{"type":"StasisStart","channel":{"id":""")]
    [TestCase("""{"application":"pbxrouter"}""")]
    [TestCase("""{"type":"ChannelDtmfReceived","duration_ms":"long"}""")]
    [TestCase("""{"type":"StasisEnd","timestamp":"yesterday"}""")]
    public void Decode_Garbage_ThrowsJsonException(string frame) =>
        Assert.Catch<JsonException>(() => AriEventDecoder.Decode(Utf8(frame)));

    [Test]
    public void KnownTypes_ListsEveryDecodedType() =>
        Assert.That(AriEventDecoder.KnownTypes, Is.SupersetOf(new[]
        {
            "StasisStart", "StasisEnd", "ChannelStateChange", "ChannelDtmfReceived", "ChannelHangupRequest", "ChannelDestroyed",
            "ChannelEnteredBridge", "ChannelLeftBridge", "ChannelVarset", "Dial", "PlaybackStarted", "PlaybackFinished",
            "RecordingStarted", "RecordingFinished", "RecordingFailed", "DeviceStateChanged", "EndpointStateChange",
            "ContactStatusChange", "BridgeDestroyed", "ApplicationReplaced",
        }));
}
