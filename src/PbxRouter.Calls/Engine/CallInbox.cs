using PbxRouter.Ari.Events;

namespace PbxRouter.Calls.Engine;

/// <summary>A call's own ordered inbox: the event queue posts, the call's flow reads with a time limit.</summary>
public sealed class CallInbox
{
    private readonly System.Threading.Channels.Channel<AriEvent> _events =
        System.Threading.Channels.Channel.CreateUnbounded<AriEvent>(new() { SingleReader = true });

    public void Post(AriEvent e) => _events.Writer.TryWrite(e);

    /// <summary>The next event, or null when <paramref name="timeout"/> passes first.</summary>
    public async Task<AriEvent?> NextAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (_events.Reader.TryRead(out var ready)) return ready;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            return await _events.Reader.ReadAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }
}
