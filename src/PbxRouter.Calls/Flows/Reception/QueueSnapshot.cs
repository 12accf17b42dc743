namespace PbxRouter.Calls.Flows.Reception;

/// <summary>One caller waiting in a reception queue: their call, since when, and their place (1 = next).</summary>
public sealed record WaitingCaller(string CallId, DateTimeOffset Since, int Position);

public sealed partial class QueueCoordinator
{
    /// <summary>The callers waiting now, in order (read-only copy, for the web console).</summary>
    public IReadOnlyList<WaitingCaller> Snapshot()
    {
        lock (_lock) return _waiting.Select((w, i) => new WaitingCaller(w.CallId, w.Since, i + 1)).ToList();
    }
}
