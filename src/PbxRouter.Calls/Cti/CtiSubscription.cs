using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace PbxRouter.Calls.Cti;

/// <summary>
/// One consumer's bounded buffer. The hub never waits for it: when it is full, events are counted instead of queued until
/// the consumer has read what is buffered, then it reads one gap marker (with the count) and the events that follow.
/// </summary>
public sealed class CtiSubscription : IDisposable
{
    private readonly Channel<CtiEvent> _buffer;
    private readonly Lock _lock = new();
    private readonly Action<CtiSubscription> _leave;
    private long _pendingGap, _dropped;
    private CtiDelivery? _first;

    internal CtiSubscription(CtiAudience audience, int capacity, Action<CtiSubscription> leave)
    {
        Audience = audience;
        _leave = leave;
        _buffer = Channel.CreateBounded<CtiEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public CtiAudience Audience { get; }

    /// <summary>Events left out for this consumer so far.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queued before any event (a resume that could not be honoured).</summary>
    internal void StartWith(CtiDelivery gap) => _first = gap;

    /// <summary>Never blocks: false when the event was left out (buffer full, or a gap not yet read).</summary>
    internal bool Offer(CtiEvent e)
    {
        lock (_lock)
        {
            if (_pendingGap == 0 && _buffer.Writer.TryWrite(e)) return true;
            _pendingGap++;
            _dropped++;
            return false;
        }
    }

    /// <summary>Events in order, with a gap marker where some were left out; ends when <paramref name="ct"/> is cancelled.</summary>
    public async IAsyncEnumerable<CtiDelivery> ReadAllAsync([EnumeratorCancellation] CancellationToken ct)
    {
        if (_first is { } first) yield return first;
        while (true)
        {
            while (_buffer.Reader.TryRead(out var e)) yield return new CtiDelivery(e, null, null);
            long gap;
            lock (_lock)
            {
                gap = _pendingGap;
                _pendingGap = 0;
            }
            if (gap > 0)
            {
                yield return CtiDelivery.SlowGap(gap);
                continue;
            }
            if (!await _buffer.Reader.WaitToReadAsync(ct).ConfigureAwait(false)) yield break;
        }
    }

    public void Dispose()
    {
        _buffer.Writer.TryComplete();
        _leave(this);
    }
}
