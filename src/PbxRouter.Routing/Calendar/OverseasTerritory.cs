namespace PbxRouter.Routing;

/// <summary>
/// An overseas territory whose calendar adds its abolition-of-slavery day to France's public holidays (loi n° 83-550 du
/// 30 juin 1983, décret n° 83-1003 du 23 novembre 1983 as amended by décret n° 2012-553, Code du travail art. L3422-2),
/// with the time zone its practices normally use. Sources and what is left out: docs/routing-yaml.md "holidays".
/// </summary>
public sealed record OverseasTerritory(HolidayCalendar Calendar, string Key, string Name, int AbolitionMonth, int AbolitionDay, string TimeZone)
{
    public static IReadOnlyList<OverseasTerritory> All { get; } =
    [
        new(HolidayCalendar.Reunion, "reunion", "La Réunion", 12, 20, "Indian/Reunion"),
        new(HolidayCalendar.Martinique, "martinique", "Martinique", 5, 22, "America/Martinique"),
        new(HolidayCalendar.Guadeloupe, "guadeloupe", "Guadeloupe", 5, 27, "America/Guadeloupe"),
        new(HolidayCalendar.Guyane, "guyane", "Guyane", 6, 10, "America/Cayenne"),
        new(HolidayCalendar.Mayotte, "mayotte", "Mayotte", 4, 27, "Indian/Mayotte"),
        // L3422-2 still reads 27 May (shared with Guadeloupe); the State has commemorated 28 May, the territory's own
        // date (délibération of 5 November 2015), as the public holiday since 2019: see docs/routing-yaml.md.
        new(HolidayCalendar.SaintMartin, "saint-martin", "Saint-Martin", 5, 28, "America/Marigot"),
        new(HolidayCalendar.SaintBarthelemy, "saint-barthelemy", "Saint-Barthélemy", 10, 9, "America/St_Barthelemy"),
    ];

    /// <summary>The territory of an overseas calendar; null for france, alsace-moselle and none.</summary>
    public static OverseasTerritory? Of(HolidayCalendar calendar) => All.FirstOrDefault(t => t.Calendar == calendar);

    /// <summary>The territory whose suggested time zone this is (null for any other zone).</summary>
    public static OverseasTerritory? OfTimeZone(string zone) => All.FirstOrDefault(t => t.TimeZone == zone);
}
