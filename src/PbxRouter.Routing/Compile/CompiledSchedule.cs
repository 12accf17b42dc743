using System.Collections.Frozen;
using NodaTime;
using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>A line's schedule precomputed as sorted minute ranges per weekday, with every reason string built once.</summary>
internal sealed class CompiledSchedule
{
    private readonly DayPlan[] _days = new DayPlan[8]; // indexed by IsoDayOfWeek (1..7)
    private readonly FrozenDictionary<LocalDate, DayPlan> _exceptional;
    private readonly (LocalDate From, LocalDate To, string Reason)[] _closures;
    private readonly HolidayLookup _holidays;

    public CompiledSchedule(RoutingRules rules)
    {
        for (var d = IsoDayOfWeek.Monday; d <= IsoDayOfWeek.Sunday; d++)
            _days[(int)d] = new DayPlan(d.ToString(), rules.Hours?.On(d) ?? [], rules.AfterHours?.On(d) ?? [], null);
        _exceptional = (rules.ExceptionalOpenings ?? []).ToFrozenDictionary(
            e => e.Date,
            e => new DayPlan(e.Date.DayOfWeek.ToString(), e.Hours, rules.AfterHours?.On(e.Date.DayOfWeek) ?? [],
                $"exceptional opening {e.Date:yyyy-MM-dd}{(e.Reason is null ? "" : $" ({e.Reason})")}"));
        _closures = (rules.Closures ?? []).Select(c => (c.From, c.To, $"closed: {c.Reason}, closure from {c.From:yyyy-MM-dd} to {c.To:yyyy-MM-dd}")).ToArray();
        _holidays = new HolidayLookup(rules.Holidays);
    }

    /// <summary>The base state at a local time (before modes), and its human reason.</summary>
    public (PracticeState State, string Reason) Evaluate(LocalDateTime local)
    {
        var date = local.Date;
        var minute = local.Hour * 60 + local.Minute;
        var day = _days[(int)date.DayOfWeek];
        if (_exceptional.TryGetValue(date, out var exceptional))
        {
            if (exceptional.TryOpen(minute, out var open)) return (PracticeState.Open, open);
            day = exceptional;
        }
        foreach (var (from, to, reason) in _closures)
            if (date >= from && date <= to) return (PracticeState.Closure, reason);
        if (_holidays.TryGet(date, out var holiday)) return (PracticeState.Holiday, holiday);
        return day.Classify(minute);
    }

    /// <summary>One day's ranges and reasons.</summary>
    private sealed class DayPlan
    {
        private readonly int[] _open;
        private readonly string[] _openReasons;
        private readonly int[] _after;
        private readonly string[] _afterReasons;
        private readonly string[] _lunchReasons;
        private readonly string _closedReason;

        public DayPlan(string dayName, IReadOnlyList<TimeRange> open, IReadOnlyList<TimeRange> after, string? exceptional)
        {
            var label = exceptional ?? dayName;
            _open = open.SelectMany(r => new[] { r.Start, r.End }).ToArray();
            _openReasons = open.Select(r => $"open: {label} {r}").ToArray();
            _after = after.SelectMany(r => new[] { r.Start, r.End }).ToArray();
            _afterReasons = after.Select(r => $"after hours: {dayName} {r}").ToArray();
            _lunchReasons = open.Skip(1).Select((r, i) =>
                $"lunch: {label} between {Values.FormatMinutes(open[i].End)} and {Values.FormatMinutes(r.Start)}").ToArray();
            var hours = open.Count == 0 ? "closed all day" : string.Join(", ", open);
            _closedReason = $"closed: outside opening hours ({label}: {hours})";
        }

        public bool TryOpen(int minute, out string reason) => TryFind(_open, _openReasons, minute, out reason);

        public (PracticeState, string) Classify(int minute)
        {
            if (TryFind(_open, _openReasons, minute, out var reason)) return (PracticeState.Open, reason);
            if (TryFind(_after, _afterReasons, minute, out reason)) return (PracticeState.AfterHours, reason);
            for (var i = 1; i < _open.Length - 1; i += 2)
                if (minute >= _open[i] && minute < _open[i + 1]) return (PracticeState.Lunch, _lunchReasons[i / 2]);
            return (PracticeState.Closed, _closedReason);
        }

        private static bool TryFind(int[] ranges, string[] reasons, int minute, out string reason)
        {
            for (var i = 0; i < ranges.Length; i += 2)
                if (minute >= ranges[i] && minute < ranges[i + 1])
                {
                    reason = reasons[i / 2];
                    return true;
                }
            reason = "";
            return false;
        }
    }
}
