namespace PbxRouter.Ari.Tests.Stream;

public class FrameBufferTests
{
    [Test]
    public void FreeSpace_GrowsByDoubling_AndKeepsTheBytesReceived()
    {
        using var buffer = new FrameBuffer(initialSize: 16, maxSize: 1024);
        for (byte i = 0; i < 100; i++)
        {
            var space = buffer.FreeSpace()!.Value;
            space.Span[0] = i;
            buffer.Advance(1);
        }

        Assert.That(buffer.Message.ToArray(), Is.EqualTo(Enumerable.Range(0, 100).Select(i => (byte)i).ToArray()));
    }

    [Test]
    public void FreeSpace_AtTheMaximum_IsNull_AndResetStartsOver()
    {
        using var buffer = new FrameBuffer(initialSize: 16, maxSize: 32);
        while (buffer.FreeSpace() is { } space) buffer.Advance(space.Length);

        Assert.That(buffer.Count, Is.EqualTo(32));
        buffer.Reset();
        Assert.That(buffer.Message.Length, Is.Zero);
        Assert.That(buffer.FreeSpace(), Is.Not.Null);
    }
}
