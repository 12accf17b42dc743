using NodaTime;
using PbxRouter.Calls.Figures;
using PbxRouter.Store;
using static PbxRouter.Calls.Tests.Figures.CallRecords;

namespace PbxRouter.Calls.Tests.Figures;

/// <summary>Periods are days of the practice's time zone: daylight-saving days, midnight, a practice overseas.</summary>
public sealed class FiguresCalendarTests
{
    private static readonly DateTimeZone Paris = DateTimeZoneProviders.Tzdb["Europe/Paris"];
    private static readonly DateTimeZone Reunion = DateTimeZoneProviders.Tzdb["Indian/Reunion"];

    private static CallRecord Answered(string id, string startUtc, double after = 5) =>
        Patient(id, startUtc, "+33611111111", CallOutcomes.Answered, "accueil-1", steps: [Entered(), S(after, "answered", "accueil-1")]);

    private static FiguresQuery Days(LocalDate from, LocalDate to, DateTimeZone zone) => new(Practice, from, to, zone);

    [Test]
    public void Compute_OctoberDaylightSavingDay_Has25HoursAndHour2Twice()
    {
        // Sunday 25 October 2026: 03:00 summer time (UTC+2) becomes 02:00 winter time (UTC+1). The day runs from
        // 2026-10-24 22:00 UTC to 2026-10-25 23:00 UTC.
        var records = new[]
        {
            Answered("late-saturday", "2026-10-24 21:59:59"),  // 23:59:59 on the 24th: not in
            Answered("first-0230", "2026-10-25 00:30:00"),     // 02:30 summer time
            Answered("second-0230", "2026-10-25 01:30:00"),    // 02:30 winter time, an hour later
            // 23:59:50 on the 25th, answered 20 s later on the 26th: a call of the 25th, at 23 h, answered in time (20 s)
            Answered("across-midnight", "2026-10-25 22:59:50", after: 20),
            Answered("monday", "2026-10-25 23:00:00"),         // 00:00 on the 26th: not in
        };
        var day = new LocalDate(2026, 10, 25);

        var f = FiguresCalculator.Compute(Days(day, day, Paris), FiguresSettings.Default, records);

        Assert.That(f.Calls, Is.EqualTo(3));
        Assert.That(f.ByHour.Where(h => h.Calls > 0).Select(h => (h.Hour, h.Calls)), Is.EqualTo(new[] { (2, 2), (23, 1) }));
        Assert.That(f.ServiceLevel, Is.EqualTo(new Share(3, 3)));
        Assert.That(f.ByDay.Select(d => (d.Date, d.Calls)), Is.EqualTo(new[] { (new DateOnly(2026, 10, 25), 3) }));
    }

    [Test]
    public void Compute_MarchDaylightSavingDay_Has23HoursAndNoHour2()
    {
        // Sunday 29 March 2026: 02:00 winter time becomes 03:00 summer time. The day runs from 2026-03-28 23:00 UTC
        // to 2026-03-29 22:00 UTC.
        var records = new[]
        {
            Answered("before", "2026-03-28 22:59:59"),  // 23:59:59 on the 28th
            Answered("0130", "2026-03-29 00:30:00"),    // 01:30 winter time
            Answered("0330", "2026-03-29 01:30:00"),    // 03:30 summer time: an hour later, two hours on the clock
            Answered("2359", "2026-03-29 21:59:59"),    // 23:59:59 summer time
            Answered("after", "2026-03-29 22:00:00"),   // 00:00 on the 30th
        };
        var day = new LocalDate(2026, 3, 29);

        var f = FiguresCalculator.Compute(Days(day, day, Paris), FiguresSettings.Default, records);

        Assert.That(f.Calls, Is.EqualTo(3));
        Assert.That(f.ByHour.Where(h => h.Calls > 0).Select(h => h.Hour), Is.EqualTo(new[] { 1, 3, 23 }));
    }

    [Test]
    public void Compute_PracticeInLaReunion_UsesItsOwnDaysAndOffset()
    {
        // La Réunion is UTC+4 all year: 1 December there runs from 2026-11-30 20:00 UTC to 2026-12-01 20:00 UTC.
        var records = new[]
        {
            Patient("early", "2026-11-30 20:30:00", "+262692000001", CallOutcomes.Abandoned, steps: [Entered(), S(30, "abandoned")]), // 00:30 local
            Answered("late", "2026-12-01 19:59:59"),                                                                                  // 23:59:59 local
            Answered("next-day", "2026-12-01 20:30:00"),                                                                              // 00:30 on the 2nd
        };
        var day = new LocalDate(2026, 12, 1);

        var reunion = FiguresCalculator.Compute(Days(day, day, Reunion), FiguresSettings.Default, records);
        var paris = FiguresCalculator.Compute(Days(day, day, Paris), FiguresSettings.Default, records);

        Assert.That(reunion.Calls, Is.EqualTo(2));
        Assert.That(reunion.TimeZone, Is.EqualTo("Indian/Reunion"));
        Assert.That(reunion.ByHour.Where(h => h.Calls > 0).Select(h => h.Hour), Is.EqualTo(new[] { 0, 23 }));
        Assert.That(reunion.AbandonedCallers.Single().Last, Is.EqualTo(new DateTimeOffset(2026, 12, 1, 0, 30, 0, TimeSpan.FromHours(4))));
        Assert.That(reunion.AbandonedCallers.Single().Last.Offset, Is.EqualTo(TimeSpan.FromHours(4)), "shown in the practice's time");
        // The same records seen from Paris (UTC+1): 21:30 on the 30th is out; 20:59:59 and 21:30 on the 1st are in.
        Assert.That(paris.Calls, Is.EqualTo(2));
        Assert.That(paris.ByHour.Where(h => h.Calls > 0).Select(h => (h.Hour, h.Calls)), Is.EqualTo(new[] { (20, 1), (21, 1) }));
    }

    [Test]
    public void Compute_SeveralDays_EachCallOnTheDayItStarted()
    {
        var records = new[]
        {
            Answered("mon", "2026-11-30 08:00:00"),
            Answered("tue-1", "2026-12-01 08:00:00"),
            Patient("tue-2", "2026-12-01 09:00:00", "+33622222222", CallOutcomes.Abandoned, steps: [Entered(), S(30, "abandoned")]),
        };

        var f = FiguresCalculator.Compute(Days(new LocalDate(2026, 11, 30), new LocalDate(2026, 12, 2), Paris), FiguresSettings.Default, records);

        Assert.That(f.ByDay.Select(d => (d.Date.Day, d.Calls, d.Answered, d.Abandoned)), Is.EqualTo(new[] { (30, 1, 1, 0), (1, 2, 1, 1), (2, 0, 0, 0) }));
    }

    [Test]
    public void Query_ToBeforeFrom_IsRefused() =>
        Assert.That(() => FiguresCalculator.Compute(Days(new LocalDate(2026, 12, 2), new LocalDate(2026, 12, 1), Paris), FiguresSettings.Default, []),
            Throws.ArgumentException.With.Message.Contains("ends"));
}
