using System.Collections.Frozen;
using NodaTime;
using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>Is a date a holiday for this practice: its own dates first, then the public calendar (cached per year).</summary>
internal sealed class HolidayLookup(HolidayRules? rules)
{
    private readonly HolidayCalendar _calendar = rules?.Calendar ?? HolidayCalendar.France;

    private readonly FrozenDictionary<LocalDate, string> _dated = (rules?.Extra ?? []).Where(h => h.Date is not null)
        .GroupBy(h => h.Date!.Value).ToFrozenDictionary(g => g.Key, g => $"closed: {g.First().Name}, practice holiday");

    private readonly FrozenDictionary<int, string> _annual = (rules?.Extra ?? []).Where(h => h.EveryYear is not null)
        .GroupBy(h => h.EveryYear!.Value.Month * 100 + h.EveryYear!.Value.Day)
        .ToFrozenDictionary(g => g.Key, g => $"closed: {g.First().Name}, yearly practice holiday");

    public bool TryGet(LocalDate date, out string reason)
    {
        if (_dated.TryGetValue(date, out reason!)) return true;
        if (_annual.Count > 0 && _annual.TryGetValue(date.Month * 100 + date.Day, out reason!)) return true;
        if (_calendar != HolidayCalendar.None && FrenchHolidays.Reasons(date.Year, _calendar).TryGetValue(date, out reason!)) return true;
        reason = "";
        return false;
    }
}
