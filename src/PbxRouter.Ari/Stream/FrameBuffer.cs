using System.Buffers;

namespace PbxRouter.Ari;

/// <summary>A pooled, growing receive buffer reused for every WebSocket frame of a connection.</summary>
internal sealed class FrameBuffer(int initialSize = 16 * 1024, int maxSize = 16 * 1024 * 1024) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialSize);
    private int _count;

    /// <summary>Bytes of the message received so far.</summary>
    public ReadOnlySpan<byte> Message => _buffer.AsSpan(0, _count);

    public int Count => _count;

    /// <summary>Free space for the next receive; doubles the buffer when full. Null once the message exceeds the maximum size.</summary>
    public Memory<byte>? FreeSpace()
    {
        if (_count == _buffer.Length)
        {
            if (_buffer.Length >= maxSize) return null;
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, maxSize));
            _buffer.AsSpan(0, _count).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        return _buffer.AsMemory(_count);
    }

    public void Advance(int count) => _count += count;

    public void Reset() => _count = 0;

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
