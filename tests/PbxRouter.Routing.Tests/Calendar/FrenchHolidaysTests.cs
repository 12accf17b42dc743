namespace PbxRouter.Routing.Tests.Calendar;

public class FrenchHolidaysTests
{
    private static readonly object[] Easters =
    [
        new object[] { 2024, "2024-03-31" }, new object[] { 2025, "2025-04-20" }, new object[] { 2026, "2026-04-05" },
        new object[] { 2027, "2027-03-28" }, new object[] { 2028, "2028-04-16" }, new object[] { 2029, "2029-04-01" },
        new object[] { 2030, "2030-04-21" }, new object[] { 2031, "2031-04-13" }, new object[] { 2032, "2032-03-28" },
        new object[] { 2033, "2033-04-17" }, new object[] { 2034, "2034-04-09" }, new object[] { 2035, "2035-03-25" },
    ];

    private static LocalDate D(string s) => NodaTime.Text.LocalDatePattern.Iso.Parse(s).Value;

    [TestCaseSource(nameof(Easters))]
    public void EasterSunday_MatchesKnownDate(int year, string expected) =>
        Assert.That(FrenchHolidays.EasterSunday(year), Is.EqualTo(D(expected)));

    [TestCaseSource(nameof(Easters))]
    public void For_France_HasEasterBasedHolidays(int year, string easter)
    {
        var holidays = FrenchHolidays.For(year, HolidayCalendar.France).ToDictionary(h => h.Name, h => h.Date);
        Assert.Multiple(() =>
        {
            Assert.That(holidays["Easter Monday"], Is.EqualTo(D(easter).PlusDays(1)));
            Assert.That(holidays["Ascension Day"], Is.EqualTo(D(easter).PlusDays(39)));
            Assert.That(holidays["Whit Monday"], Is.EqualTo(D(easter).PlusDays(50)));
            Assert.That(holidays["Ascension Day"].DayOfWeek, Is.EqualTo(IsoDayOfWeek.Thursday));
            Assert.That(holidays["Whit Monday"].DayOfWeek, Is.EqualTo(IsoDayOfWeek.Monday));
        });
    }

    [Test]
    public void For_France_HasTheFixedHolidaysEveryYear()
    {
        for (var year = 2024; year <= 2035; year++)
        {
            var dates = FrenchHolidays.For(year, HolidayCalendar.France).Select(h => (h.Date.Month, h.Date.Day)).ToHashSet();
            Assert.That(dates, Is.SupersetOf(new[] { (1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25) }), year.ToString());
            Assert.That(FrenchHolidays.For(year, HolidayCalendar.France), Has.Count.EqualTo(11));
        }
    }

    [Test]
    public void For_2026_ListsTheKnownDates()
    {
        var dates = FrenchHolidays.For(2026, HolidayCalendar.France).Select(h => h.Date.ToString("yyyy-MM-dd", null));
        Assert.That(dates, Is.EqualTo(new[]
        {
            "2026-01-01", "2026-04-06", "2026-05-01", "2026-05-08", "2026-05-14", "2026-05-25",
            "2026-07-14", "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25",
        }));
    }

    [Test]
    public void For_AlsaceMoselle_AddsGoodFridayAndStStephen()
    {
        var holidays = FrenchHolidays.For(2026, HolidayCalendar.AlsaceMoselle);
        Assert.That(holidays, Has.Count.EqualTo(13));
        Assert.That(holidays.Single(h => h.Name == "Good Friday").Date, Is.EqualTo(new LocalDate(2026, 4, 3)));
        Assert.That(holidays.Single(h => h.Name == "St Stephen's Day").Date, Is.EqualTo(new LocalDate(2026, 12, 26)));
        Assert.That(holidays.Select(h => h.Date), Is.Ordered);
    }

    [Test]
    public void For_None_IsEmpty() => Assert.That(FrenchHolidays.For(2026, HolidayCalendar.None), Is.Empty);

    [Test]
    public void EasterSunday_FarYears_AreStillSundaysInSpring()
    {
        for (var year = 1900; year <= 2200; year++)
        {
            var easter = FrenchHolidays.EasterSunday(year);
            Assert.That(easter.DayOfWeek, Is.EqualTo(IsoDayOfWeek.Sunday), year.ToString());
            Assert.That(easter, Is.InRange(new LocalDate(year, 3, 22), new LocalDate(year, 4, 25)), year.ToString());
        }
    }

    [TestCase(2008, "2008-05-01", "Labour Day")]
    [TestCase(2059, "2059-05-08", "Victory in Europe Day")]
    public void Reasons_AscensionOnAFixedHoliday_NamesBothInsteadOfCrashing(int year, string date, string other) =>
        Assert.That(FrenchHolidays.Reasons(year, HolidayCalendar.France)[D(date)], Does.Contain("Ascension Day").And.Contain(other));
}
