using System.Collections.Concurrent;
using PbxRouter.Ari;
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

    private MemberStates? _members;

    /// <summary>
    /// The members' phone states, kept from the events of <paramref name="ari"/> (created at the first queue call). A phone
    /// that becomes free wakes every waiting caller at once, as a caller leaving the line does.
    /// </summary>
    public MemberStates MembersOn(AriClient ari)
    {
        if (Volatile.Read(ref _members) is { } known) return known;
        var created = new MemberStates(ari);
        if (Interlocked.CompareExchange(ref _members, created, null) is { } other)
        {
            created.Dispose();
            return other;
        }
        created.MemberFreed += () =>
        {
            foreach (var queue in _queues.Values) queue.Wake();
        };
        return created;
    }
}

/// <summary>
/// One queue: callers in arrival order (first come, first served), the members this engine is ringing or has just
/// connected (and for which caller), and the order in which members are rung (round robin, least recently called).
/// </summary>
public sealed partial class QueueCoordinator(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<(string CallId, DateTimeOffset Since)> _waiting = [];
    private readonly Dictionary<string, string> _claimed = new(StringComparer.Ordinal); // member -> the caller ringing it
    private readonly Dictionary<string, DateTimeOffset> _lastRung = new(StringComparer.Ordinal);
    private int _next;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next change of the line or of the members (a caller left, a member freed):
    /// waiting callers wake up at once instead of at their next check.</summary>
    public Task Changed
    {
        get { lock (_lock) return _changed.Task; }
    }

    /// <summary>Wakes the waiting callers for a new look at the members (one was freed elsewhere).</summary>
    internal void Wake() => Signal();

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

    /// <summary>The members to ring now for this strategy, among the free ones no caller of this engine is ringing, best first.</summary>
    public IReadOnlyList<string> Order(IReadOnlyList<string> members, IReadOnlyCollection<string> free, QueueStrategy strategy)
    {
        lock (_lock) return Available(members, free, strategy);
    }

    /// <summary>
    /// The members this caller rings now, claimed for it (none when it must wait). Free members are shared out like
    /// Asterisk's app_queue with <c>autofill</c>: in arrival order, each caller not yet ringing takes its share of the free
    /// members nobody rings (ring all: every one of them; the other strategies: the best one), so several callers ring
    /// distinct members at once, and a caller never takes a member an earlier caller would take. A caller already
    /// ringing keeps its members and takes no other until its ring ends.
    /// </summary>
    public IReadOnlyList<string> TryOffer(string callId, IReadOnlyList<string> members, IReadOnlyCollection<string> free, QueueStrategy strategy)
    {
        lock (_lock)
        {
            if (_claimed.ContainsValue(callId)) return [];
            var pool = Available(members, free, strategy);
            foreach (var (caller, _) in _waiting)
            {
                if (pool.Count == 0) return [];
                if (caller != callId)
                {
                    // An earlier caller not ringing would take its share first (it is woken by the change that freed it).
                    if (!_claimed.ContainsValue(caller)) pool.RemoveRange(0, strategy == QueueStrategy.RingAll ? pool.Count : 1);
                    continue;
                }
                var share = strategy == QueueStrategy.RingAll ? pool : [pool[0]];
                foreach (var member in share)
                {
                    _claimed[member] = callId;
                    _lastRung[member] = time.GetUtcNow();
                    _next = (IndexOf(members, member) + 1) % Math.Max(1, members.Count);
                }
                return share;
            }
            return []; // not (or no longer) in the line
        }
    }

    /// <summary>Members rung by this engine right now, and for which caller, for tests and metrics.</summary>
    public IReadOnlyDictionary<string, string> Claims
    {
        get { lock (_lock) return new Dictionary<string, string>(_claimed, StringComparer.Ordinal); }
    }

    private List<string> Available(IReadOnlyList<string> members, IReadOnlyCollection<string> free, QueueStrategy strategy)
    {
        var available = members.Where(m => free.Contains(m) && !_claimed.ContainsKey(m));
        return strategy switch
        {
            QueueStrategy.RoundRobin => available.OrderBy(m => (IndexOf(members, m) - _next + members.Count) % members.Count).ToList(),
            QueueStrategy.LeastRecent => available.OrderBy(m => _lastRung.GetValueOrDefault(m, DateTimeOffset.MinValue)).ToList(),
            _ => available.ToList(),
        };
    }

    private static int IndexOf(IReadOnlyList<string> members, string member)
    {
        for (var i = 0; i < members.Count; i++)
            if (members[i] == member) return i;
        return -1;
    }

    public void Release(string member)
    {
        bool released;
        lock (_lock) released = _claimed.Remove(member);
        if (released) Signal();
    }
}
