namespace PbxRouter.Watchdog;

/// <summary>
/// Whether the engine has been away for the whole bound: the time since its heartbeat last changed, counted only over an
/// observation without a gap. A failed read (<see cref="Blind"/>) restarts the count at the next successful one, so the
/// watchdog never acts on time it did not see; at start it waits a full bound too.
/// </summary>
public sealed class EngineWatch(TimeSpan bound, TimeProvider time)
{
    private string? _last;
    private long _since;
    private bool _observing;

    public TimeSpan Bound => bound;

    /// <summary>How long the heartbeat has stood still while observed (zero while blind).</summary>
    public TimeSpan AwayFor => _observing ? time.GetElapsedTime(_since) : TimeSpan.Zero;

    /// <summary>True once the heartbeat has stood still for at least the bound, observed without a gap.</summary>
    public bool IsAway => _observing && AwayFor >= bound;

    /// <summary>A heartbeat read; true when it moved since the last read (an empty value never counts as a beat).</summary>
    public bool Observe(string value)
    {
        var now = time.GetTimestamp();
        var moved = value.Length > 0 && _last is not null && value != _last;
        if (!_observing || moved)
        {
            _observing = true;
            _since = now;
        }
        if (value.Length > 0) _last = value;
        return moved;
    }

    /// <summary>The heartbeat could not be read: what happened meanwhile is unknown.</summary>
    public void Blind() => _observing = false;
}
