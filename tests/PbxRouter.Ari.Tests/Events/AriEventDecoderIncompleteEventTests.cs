using PbxRouter.Ari.Events;
using static PbxRouter.Ari.Tests.Support.AriSamples;

namespace PbxRouter.Ari.Tests.Events;

/// <summary>Frames that parse but miss what the model promises consumers (found by fuzzing): they are reported as
/// undecodable instead of reaching the engine with a null where it never checks.</summary>
public class AriEventDecoderIncompleteEventTests
{
    private static AriDecodeStatus StatusOf(string json) => AriEventDecoder.TryDecode(Utf8(json), out _, out _, out _);

    [TestCase("""{"type":"StasisStart","timestamp":"2025-01-20T10:15:42.318+0100","args":[],"application":"pbxrouter"}""")]
    [TestCase("""{"type":"StasisEnd","application":"pbxrouter"}""")]
    [TestCase("""{"type":"ChannelDestroyed","cause":16,"application":"pbxrouter"}""")]
    [TestCase("""{"type":"Dial","dialstatus":"ANSWER","application":"pbxrouter"}""")]
    [TestCase("""{"type":"PlaybackFinished","application":"pbxrouter"}""")]
    [TestCase("""{"type":"RecordingStarted","application":"pbxrouter"}""")]
    [TestCase("""{"type":"BridgeDestroyed","application":"pbxrouter"}""")]
    [TestCase("""{"type":"ChannelLeftBridge","bridge":{"id":"b"},"application":"pbxrouter"}""")]
    [TestCase("""{"type":"DeviceStateChanged","application":"pbxrouter"}""")]
    [TestCase("""{"type":"ContactStatusChange","endpoint":{"technology":"PJSIP","resource":"a"},"application":"pbxrouter"}""")]
    public void TryDecode_EventWithoutTheObjectItIsAbout_IsInvalid(string json) =>
        Assert.That(StatusOf(json), Is.EqualTo(AriDecodeStatus.Invalid));

    [TestCase("""{"type":"StasisStart","channel":null,"application":"pbxrouter"}""")]
    [TestCase("""{"type":"StasisStart","channel":{"id":null},"application":"pbxrouter"}""")]
    [TestCase("""{"type":"StasisStart","channel":{"id":"c1","caller":null},"application":"pbxrouter"}""")]
    [TestCase("""{"type":"StasisStart","channel":{"id":"c1"},"args":null,"application":"pbxrouter"}""")]
    [TestCase("""{"type":"StasisStart","channel":{"id":"c1"},"args":["inbound",null],"application":"pbxrouter"}""")]
    [TestCase("""{"type":"StasisStart","channel":{"id":"c1","channelvars":{"X":null}},"application":"pbxrouter"}""")]
    [TestCase("""{"type":"BridgeDestroyed","bridge":{"id":"b","technology":null},"application":"pbxrouter"}""")]
    [TestCase("""{"type":"PlaybackFinished","playback":{"id":"p","target_uri":null},"application":"pbxrouter"}""")]
    [TestCase("""{"type":"ChannelDtmfReceived","digit":null,"channel":{"id":"c1"},"application":"pbxrouter"}""")]
    public void TryDecode_NullWhereTheModelHasNone_IsInvalid(string json) =>
        Assert.That(StatusOf(json), Is.EqualTo(AriDecodeStatus.Invalid));

    [Test]
    public void TryDecode_TypeGivenTwice_IsInvalid() =>
        Assert.That(StatusOf("""{"type":"StasisEnd","channel":{"id":"c1"},"type":"ChannelDestroyed"}"""), Is.EqualTo(AriDecodeStatus.Invalid));

    [Test]
    public void TryDecode_OptionalObjectsAbsentOrNull_StillDecodes()
    {
        var json = """{"type":"Dial","peer":{"id":"leg-1"},"caller":null,"forwarded":null,"dialstatus":"","application":"pbxrouter"}""";
        Assert.That(StatusOf(json), Is.EqualTo(AriDecodeStatus.Decoded));
        Assert.That(StatusOf("""{"type":"ChannelEnteredBridge","bridge":{"id":"b"},"application":"pbxrouter"}"""), Is.EqualTo(AriDecodeStatus.Decoded));
    }

    [Test]
    public void Decode_ChannelWithOnlyAnId_HasItsDefaultsNotNulls()
    {
        var e = (StasisStart)AriEventDecoder.Decode(Utf8("""{"type":"StasisStart","channel":{"id":"c1"}}"""))!;

        Assert.Multiple(() =>
        {
            Assert.That(e.Application, Is.Empty);
            Assert.That(e.Args, Is.Empty);
            Assert.That(e.Channel.Name, Is.Empty);
            Assert.That(e.Channel.State, Is.Empty);
            Assert.That(e.Channel.Caller, Is.SameAs(CallerId.Empty));
            Assert.That(e.Channel.Connected.Number, Is.Empty);
        });
    }

    [Test]
    public void Decode_MediaWithoutTarget_ConcernsNoChannel()
    {
        var playback = AriEventDecoder.Decode(Utf8("""{"type":"PlaybackFinished","playback":{"id":"p"}}"""))!;
        var recording = AriEventDecoder.Decode(Utf8("""{"type":"RecordingFinished","recording":{"name":"r"}}"""))!;

        Assert.That(playback.ChannelIds.Concat(recording.ChannelIds), Is.Empty);
        Assert.That(playback.BridgeId ?? recording.BridgeId, Is.Null);
    }
}
