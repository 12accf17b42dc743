using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Calendar;

/// <summary>The overseas calendars: France's holidays plus each territory's abolition-of-slavery day, for any year.</summary>
public class OverseasTerritoryTests
{
    [TestCase(HolidayCalendar.Reunion, 12, 20)]
    [TestCase(HolidayCalendar.Martinique, 5, 22)]
    [TestCase(HolidayCalendar.Guadeloupe, 5, 27)]
    [TestCase(HolidayCalendar.Guyane, 6, 10)]
    [TestCase(HolidayCalendar.Mayotte, 4, 27)]
    [TestCase(HolidayCalendar.SaintMartin, 5, 28)]
    [TestCase(HolidayCalendar.SaintBarthelemy, 10, 9)]
    public void For_Territory_AddsItsAbolitionDayToFrance(HolidayCalendar calendar, int month, int day)
    {
        for (var year = 2024; year <= 2040; year++)
        {
            var holidays = FrenchHolidays.For(year, calendar);
            var france = FrenchHolidays.For(year, HolidayCalendar.France);
            var added = holidays.Where(h => !france.Any(f => f.Date == h.Date && f.Name == h.Name)).ToList();
            Assert.That(added.Select(h => h.Date), Is.EqualTo(new[] { new LocalDate(year, month, day) }), $"{calendar} {year}");
            Assert.That(added[0].Name, Is.EqualTo("Abolition of slavery"));
            Assert.That(holidays, Has.Count.EqualTo(12));
            Assert.That(holidays.Select(h => h.Date), Is.Ordered);
        }
    }

    [Test]
    public void All_SuggestAKnownTimeZoneEach()
    {
        Assert.That(OverseasTerritory.All.Select(t => t.TimeZone), Is.EqualTo(new[]
        {
            "Indian/Reunion", "America/Martinique", "America/Guadeloupe", "America/Cayenne", "Indian/Mayotte", "America/Marigot", "America/St_Barthelemy",
        }));
        foreach (var t in OverseasTerritory.All)
            Assert.That(DateTimeZoneProviders.Tzdb.GetZoneOrNull(t.TimeZone), Is.Not.Null, t.TimeZone);
    }

    [Test]
    public void Of_MetropolitanCalendars_IsNull()
    {
        Assert.That(OverseasTerritory.Of(HolidayCalendar.France), Is.Null);
        Assert.That(OverseasTerritory.Of(HolidayCalendar.AlsaceMoselle), Is.Null);
        Assert.That(OverseasTerritory.Of(HolidayCalendar.None), Is.Null);
        Assert.That(OverseasTerritory.OfTimeZone("Europe/Paris"), Is.Null);
    }

    private static CompiledRules Reunion() => CompileYaml(With("    greeting:", "    time_zone: Indian/Reunion\n    holidays: { calendar: reunion }\n    greeting:")).Rules!;

    private static CallPlan At(CompiledRules rules, int year, int month, int day, int hour) =>
        RoutingDecision.Decide(rules, new CallRequest("0145000000", "0611111111",
            new LocalDateTime(year, month, day, hour, 0).InZoneLeniently(DateTimeZoneProviders.Tzdb["Indian/Reunion"]).ToInstant()), RuntimeState.None);

    [TestCase(2027)] // a Monday
    [TestCase(2030)] // a Friday
    public void Decide_Reunion20December_TakesTheClosedRouteOfAHoliday(int year)
    {
        var rules = Reunion();
        var plan = At(rules, year, 12, 20, 10);
        Assert.That(new LocalDate(year, 12, 20).DayOfWeek, Is.Not.EqualTo(IsoDayOfWeek.Saturday).And.Not.EqualTo(IsoDayOfWeek.Sunday));
        Assert.Multiple(() =>
        {
            Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Holiday));
            Assert.That(plan.Reason, Is.EqualTo("closed: Abolition of slavery, La Réunion public holiday"));
            Assert.That(plan.Steps.Select(s => s.GetType()), Is.EqualTo(new[] { typeof(Announce), typeof(Voicemail), typeof(Hangup) }));
            Assert.That(((Announce)plan.Steps[0]).MessageId, Is.EqualTo("closed"));
        });
        // The day before is a working day at the same local hour: the holiday is the only reason for the closed route.
        Assert.That(At(rules, year, 12, year == 2027 ? 21 : 19, 10).PracticeState, Is.EqualTo(PracticeState.Open));
    }

    [Test]
    public void Decide_Reunion20December_IsAWorkingDayForAMetropolitanPractice()
    {
        var rules = CompileYaml(ValidRules.Yaml).Rules!;
        var plan = RoutingDecision.Decide(rules, new CallRequest("0145000000", "0611111111", Instant.FromUtc(2027, 12, 20, 9, 0)), RuntimeState.None);
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Open));
    }

    [TestCase("reunnion", "reunion")]
    [TestCase("saint-barthélemy", "saint-barthelemy")]
    [TestCase("guyanne", "guyane")]
    [TestCase("la-reunion", "reunion")]
    public void ReadHolidays_UnknownCalendar_NamesTheClosestOne(string written, string suggested)
    {
        var yaml = With("    greeting:", $"    holidays: {{ calendar: {written} }}\n    greeting:");
        var error = Error(yaml, RuleErrorCodes.InvalidValue);
        AssertAt(error, yaml, written + " }", "practices[0].holidays.calendar");
        Assert.That(error.Message, Does.Contain($"'{written}' is not a valid calendar"));
        Assert.That(error.Hint, Does.Contain($"did you mean '{suggested}'").IgnoreCase.And.Contain("saint-martin"));
    }
}
