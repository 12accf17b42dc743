using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Engine;

namespace PbxRouter.Calls.Phones;

/// <summary>
/// A call dialled from one of the practices' phones (Stasis args "phone,EXTEN"), with its own ordered inbox:
/// the engine passes every event of the call's queue to <see cref="Deliver"/> while the handler runs.
/// </summary>
public sealed class PhoneCall(AriClient ari, Channel channel, string dialled)
{
    private readonly CallInbox _inbox = new();
    private int _ids;

    public AriClient Ari { get; } = ari;
    /// <summary>The phone's channel (the call's id and event-queue key).</summary>
    public Channel Channel { get; } = channel;
    public string CallId => Channel.Id;
    /// <summary>What the phone dialled (the EXTEN of the from-phones context), e.g. "*21".</summary>
    public string Dialled { get; } = dialled;
    /// <summary>Set once the phone hung up or left Stasis.</summary>
    public bool Gone { get; private set; }

    /// <summary>Called by the engine for every event of this call, in order.</summary>
    public void Deliver(AriEvent e)
    {
        if (CallAudio.IsGone(e, CallId)) Gone = true;
        _inbox.Post(e);
    }

    /// <summary>The next event of this call, or null when <paramref name="timeout"/> passes first.</summary>
    public Task<AriEvent?> NextEventAsync(TimeSpan timeout, CancellationToken ct) => _inbox.NextAsync(timeout, ct);

    /// <summary>A new playback id on this call (pre-assigned so PlaybackFinished can be matched).</summary>
    public string NewId(string what) => $"{CallId}-{what}-{Interlocked.Increment(ref _ids)}";
}
