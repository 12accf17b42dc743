namespace PbxRouter.Security;

/// <summary>
/// Counts the requests Asterisk refused, per source address, and decides when to tell the admin: at once for the first
/// refusal from an address, then at most once per <c>every</c> with what was refused meanwhile. A scanner sending thousands
/// of INVITEs gives a handful of log lines, not thousands (the security log keeps every event for fail2ban).
/// </summary>
public sealed class IntrusionTally(TimeSpan every, TimeProvider time)
{
    /// <summary>Sources tracked at most; beyond, the quietest are forgotten (a flood of spoofed addresses cannot eat memory).</summary>
    public const int MaxSources = 10_000;

    private readonly Dictionary<string, Source> _sources = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    /// <summary>How often a source is summed up after its first report.</summary>
    public TimeSpan Every => every;

    /// <summary>Counts a refusal; returns the report to log now, or null when it waits for the next summary.</summary>
    public IntrusionReport? Add(SecurityEvent e)
    {
        if (!e.IsRefusal) return null;
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_sources.TryGetValue(e.SourceAddress, out var source))
            {
                if (_sources.Count >= MaxSources) ForgetQuietest();
                source = new Source { LastReport = now, LastSeen = now };
                _sources[e.SourceAddress] = source;
                source.Total = 1;
                source.Reports = 1;
                return new IntrusionReport(e.SourceAddress, 1, 1, [e.Account], [e.Name], First: true);
            }
            source.Total++;
            source.Pending++;
            source.LastSeen = now;
            if (source.Accounts.Count < 10) source.Accounts.Add(e.Account);
            source.Events.Add(e.Name);
            return now - source.LastReport >= every ? Report(e.SourceAddress, source, now) : null;
        }
    }

    /// <summary>Summaries due now for sources whose refusals were held back (called on a timer).</summary>
    public IReadOnlyList<IntrusionReport> Due()
    {
        var now = time.GetUtcNow();
        var due = new List<IntrusionReport>();
        lock (_lock)
        {
            foreach (var (address, source) in _sources)
                if (source.Pending > 0 && now - source.LastReport >= every) due.Add(Report(address, source, now));
        }
        return due;
    }

    /// <summary>What is known of a source: refusals counted and reports made (null when never seen).</summary>
    public (long Refused, int Reports)? Of(string address)
    {
        lock (_lock) return _sources.TryGetValue(address, out var s) ? (s.Total, s.Reports) : null;
    }

    private static IntrusionReport Report(string address, Source source, DateTimeOffset now)
    {
        var report = new IntrusionReport(address, source.Pending, source.Total, [.. source.Accounts], [.. source.Events], First: false);
        source.Pending = 0;
        source.Accounts.Clear();
        source.Events.Clear();
        source.LastReport = now;
        source.Reports++;
        return report;
    }

    private void ForgetQuietest()
    {
        var quietest = _sources.Where(s => s.Value.Pending == 0).MinBy(s => s.Value.LastSeen);
        _sources.Remove(quietest.Key ?? _sources.MinBy(s => s.Value.LastSeen).Key);
    }

    private sealed class Source
    {
        public long Total;
        public long Pending;
        public int Reports;
        public DateTimeOffset LastReport;
        public DateTimeOffset LastSeen;
        public readonly SortedSet<string> Accounts = new(StringComparer.Ordinal);
        public readonly SortedSet<string> Events = new(StringComparer.Ordinal);
    }
}

/// <summary>What to tell the admin about one source address: refusals since the last report, the accounts it claimed.</summary>
public sealed record IntrusionReport(string Address, long Refused, long Total, IReadOnlyList<string> Accounts, IReadOnlyList<string> Events, bool First);
