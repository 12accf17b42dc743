using System.Collections.Concurrent;
using System.Collections.Frozen;
using NodaTime;

namespace PbxRouter.Routing;

/// <summary>Which public-holiday calendar a practice follows.</summary>
public enum HolidayCalendar
{
    /// <summary>The 11 French public holidays.</summary>
    France,
    /// <summary>France plus Good Friday and 26 December (Bas-Rhin, Haut-Rhin, Moselle).</summary>
    AlsaceMoselle,
    /// <summary>No public holidays (e.g. a nurses' line open every day).</summary>
    None,
    /// <summary>France plus 20 December, abolition of slavery (La Réunion).</summary>
    Reunion,
    /// <summary>France plus 22 May, abolition of slavery (Martinique).</summary>
    Martinique,
    /// <summary>France plus 27 May, abolition of slavery (Guadeloupe).</summary>
    Guadeloupe,
    /// <summary>France plus 10 June, abolition of slavery (Guyane).</summary>
    Guyane,
    /// <summary>France plus 27 April, abolition of slavery (Mayotte).</summary>
    Mayotte,
    /// <summary>France plus 28 May, abolition of slavery (Saint-Martin).</summary>
    SaintMartin,
    /// <summary>France plus 9 October, abolition of slavery (Saint-Barthélemy).</summary>
    SaintBarthelemy,
}

/// <summary>One public holiday.</summary>
public sealed record Holiday(LocalDate Date, string Name, string Calendar);

/// <summary>French public holidays for any year, Easter-based ones included.</summary>
public static class FrenchHolidays
{
    private static readonly ConcurrentDictionary<(HolidayCalendar, int), FrozenDictionary<LocalDate, string>> ReasonCache = new();

    /// <summary>The public holidays of <paramref name="year"/>, sorted by date.</summary>
    public static IReadOnlyList<Holiday> For(int year, HolidayCalendar calendar)
    {
        if (calendar == HolidayCalendar.None) return [];
        var easter = EasterSunday(year);
        const string fr = "French public holiday";
        var list = new List<Holiday>
        {
            new(new LocalDate(year, 1, 1), "New Year's Day", fr),
            new(easter.PlusDays(1), "Easter Monday", fr),
            new(new LocalDate(year, 5, 1), "Labour Day", fr),
            new(new LocalDate(year, 5, 8), "Victory in Europe Day", fr),
            new(easter.PlusDays(39), "Ascension Day", fr),
            new(easter.PlusDays(50), "Whit Monday", fr),
            new(new LocalDate(year, 7, 14), "Bastille Day", fr),
            new(new LocalDate(year, 8, 15), "Assumption Day", fr),
            new(new LocalDate(year, 11, 1), "All Saints' Day", fr),
            new(new LocalDate(year, 11, 11), "Armistice Day", fr),
            new(new LocalDate(year, 12, 25), "Christmas Day", fr),
        };
        if (calendar == HolidayCalendar.AlsaceMoselle)
        {
            const string am = "Alsace-Moselle public holiday";
            list.Add(new(easter.PlusDays(-2), "Good Friday", am));
            list.Add(new(new LocalDate(year, 12, 26), "St Stephen's Day", am));
        }
        if (OverseasTerritory.Of(calendar) is { } territory)
            list.Add(new(new LocalDate(year, territory.AbolitionMonth, territory.AbolitionDay), "Abolition of slavery", $"{territory.Name} public holiday"));
        list.Sort((a, b) => a.Date.CompareTo(b.Date));
        return list;
    }

    /// <summary>Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).</summary>
    public static LocalDate EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = (19 * a + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + 2 * e + 2 * i - h - k) % 7;
        var m = (a + 11 * h + 22 * l) / 451;
        var month = (h + l - 7 * m + 114) / 31;
        var day = (h + l - 7 * m + 114) % 31 + 1;
        return new LocalDate(year, month, day);
    }

    /// <summary>Date to "closed: Christmas Day, French public holiday", computed once per year and cached. Two holidays
    /// can fall on one day (Ascension on 1 May 2008 and 2160, on 8 May 2059): both are named.</summary>
    internal static FrozenDictionary<LocalDate, string> Reasons(int year, HolidayCalendar calendar) =>
        ReasonCache.GetOrAdd((calendar, year), static key =>
            For(key.Item2, key.Item1).GroupBy(h => h.Date).ToFrozenDictionary(g => g.Key,
                g => "closed: " + string.Join(" and ", g.Select(h => $"{h.Name}, {h.Calendar}"))));
}
