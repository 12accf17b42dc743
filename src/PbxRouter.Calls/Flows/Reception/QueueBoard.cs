using System.Collections.Concurrent;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Flows.Reception;

/// <summary>The practices' queues in memory, one coordinator per queue id, shared by all calls of the practice.</summary>
public sealed class QueueBoard(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, QueueCoordinator> _queues = new(StringComparer.Ordinal);

    public QueueCoordinator For(string queueId) => _queues.GetOrAdd(queueId, _ => new QueueCoordinator(time));
}

/// <summary>
/// One queue: callers in arrival order (first come, first served), the members this engine is ringing or has just
/// connected, and the order in which members are rung (round robin, least recently called).
/// </summary>
public sealed class QueueCoordinator(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<string> _waiting = [];
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastRung = new(StringComparer.Ordinal);
    private int _next;

    /// <summary>Adds the caller at the end of the line; false when <paramref name="maxCallers"/> already wait.</summary>
    public bool TryJoin(string callId, int maxCallers)
    {
        lock (_lock)
        {
            if (_waiting.Count >= maxCallers) return false;
            _waiting.Add(callId);
            return true;
        }
    }

    public void Leave(string callId)
    {
        lock (_lock) _waiting.Remove(callId);
    }

    /// <summary>1 for the first caller in line.</summary>
    public int PositionOf(string callId)
    {
        lock (_lock) return _waiting.IndexOf(callId) + 1;
    }

    public int Waiting
    {
        get { lock (_lock) return _waiting.Count; }
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
        lock (_lock) _claimed.Remove(member);
    }
}
