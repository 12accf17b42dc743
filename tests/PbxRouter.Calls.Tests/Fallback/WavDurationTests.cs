using System.Buffers.Binary;
using PbxRouter.Calls.Fallback;

namespace PbxRouter.Calls.Tests.Fallback;

[TestFixture]
public sealed class WavDurationTests
{
    [TestCase(0, 0)]
    [TestCase(5, 5)]
    [TestCase(180, 180)]
    public void Seconds_OfAWavFile_IsItsDataOverItsByteRate(int seconds, int expected) =>
        Assert.That(WavDuration.Seconds(FakeRecordings.Wav(seconds)), Is.EqualTo(expected));

    [Test]
    public void Seconds_WhenTheHeaderSizeWasNeverUpdated_CountsTheBytesThere()
    {
        var wav = FakeRecordings.Wav(4);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(40, 4), uint.MaxValue);
        Assert.That(WavDuration.Seconds(wav), Is.EqualTo(4));
    }

    [Test]
    public void Seconds_OfSomethingElse_Throws()
    {
        Assert.Throws<InvalidDataException>(() => WavDuration.Seconds("not a wav file at all"u8));
        Assert.Throws<InvalidDataException>(() => WavDuration.Seconds(FakeRecordings.Wav(1).AsSpan(0, 36)));
    }
}
