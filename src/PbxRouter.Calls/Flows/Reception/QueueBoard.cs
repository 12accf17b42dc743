using System.Collections.Concurrent;
using PbxRouter.Calls.Flows.Pickup;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Flows.Reception;

/// <summary>The practices' queues in memory, one coordinator per queue id, shared by all calls of the practice.</summary>
public sealed class QueueBoard(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, QueueCoordinator> _queues = new(StringComparer.Ordinal);

    public QueueCoordinator For(string queueId) => _queues.GetOrAdd(queueId, _ => new QueueCoordinator(time));

    /// <summary>Every queue that had a caller since the engine started, by queue id ("practice" or "practice.line"), for metrics.</summary>
    public IEnumerable<KeyValuePair<string, QueueCoordinator>> Queues => _queues;

    /// <summary>The calls whose queue rings phones right now, for the pickup code.</summary>
    public RingingCalls Ringing { get; } = new();
}

/// <summary>
/// One queue: callers in arrival order (first come, first served), the members this engine is ringing or has just
/// connected, and the order in which members are rung (round robin, least recently called).
/// </summary>
public sealed partial class QueueCoordinator(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<(string CallId, DateTimeOffset Since)> _waiting = [];
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastRung = new(StringComparer.Ordinal);
    private int _next;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next change of the line or of the members (a caller left, a member freed):
    /// waiting callers wake up at once instead of at their next check.</summary>
    public Task Changed
    {
        get { lock (_lock) return _changed.Task; }
    }

    private void Signal()
    {
        TaskCompletionSource done;
        lock (_lock)
        {
            done = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }

    /// <summary>Adds the caller at the end of the line; false when <paramref name="maxCallers"/> already wait.</summary>
    public bool TryJoin(string callId, int maxCallers) => TryJoin(callId, maxCallers, time.GetUtcNow(), placeKept: false);

    /// <summary>
    /// Adds the caller in arrival order: behind everyone who has waited since <paramref name="since"/> or earlier. A caller
    /// whose place is kept (<paramref name="placeKept"/>: they waited here before the engine restarted) gets it back even
    /// when the line is full; others are refused when <paramref name="maxCallers"/> already wait.
    /// </summary>
    public bool TryJoin(string callId, int maxCallers, DateTimeOffset since, bool placeKept)
    {
        bool ahead;
        lock (_lock)
        {
            if (!placeKept && _waiting.Count >= maxCallers) return false;
            var at = _waiting.FindIndex(w => w.Since > since);
            ahead = at >= 0;
            _waiting.Insert(ahead ? at : _waiting.Count, (callId, since));
        }
        // Back ahead of callers who came later: they wake up and see they are no longer first.
        if (ahead) Signal();
        return true;
    }

    public void Leave(string callId)
    {
        bool removed;
        lock (_lock) removed = _waiting.RemoveAll(w => w.CallId == callId) > 0;
        if (removed) Signal();
    }

    /// <summary>1 for the first caller in line.</summary>
    public int PositionOf(string callId)
    {
        lock (_lock) return _waiting.FindIndex(w => w.CallId == callId) + 1;
    }

    public int Waiting
    {
        get { lock (_lock) return _waiting.Count; }
    }

    /// <summary>Callers waiting and since when the first in line waits (null when nobody does), for metrics.</summary>
    public (int Waiting, DateTimeOffset? OldestSince) Line
    {
        get
        {
            lock (_lock) return (_waiting.Count, _waiting.Count == 0 ? null : _waiting.Min(w => w.Since));
        }
    }

    /// <summary>The members to ring now for this strategy, among the free ones, best first.</summary>
    public IReadOnlyList<string> Order(IReadOnlyList<string> members, IReadOnlyCollection<string> free, QueueStrategy strategy)
    {
        lock (_lock)
        {
            var available = members.Where(m => free.Contains(m) && !_claimed.Contains(m)).ToList();
            return strategy switch
            {
                QueueStrategy.RoundRobin => available.OrderBy(m => (members.ToList().IndexOf(m) - _next + members.Count) % members.Count).ToList(),
                QueueStrategy.LeastRecent => available.OrderBy(m => _lastRung.GetValueOrDefault(m, DateTimeOffset.MinValue)).ToList(),
                _ => available,
            };
        }
    }

    /// <summary>Marks members as rung by this engine (so another caller does not ring them too); false if one is taken.</summary>
    public bool TryClaim(IReadOnlyList<string> members, IReadOnlyList<string> all)
    {
        lock (_lock)
        {
            if (members.Any(_claimed.Contains)) return false;
            foreach (var m in members)
            {
                _claimed.Add(m);
                _lastRung[m] = time.GetUtcNow();
                _next = (all.ToList().IndexOf(m) + 1) % Math.Max(1, all.Count);
            }
            return true;
        }
    }

    public void Release(string member)
    {
        bool released;
        lock (_lock) released = _claimed.Remove(member);
        if (released) Signal();
    }
}
