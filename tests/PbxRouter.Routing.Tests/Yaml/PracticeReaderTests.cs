using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Yaml;

public class PracticeReaderTests
{
    [Test]
    public void ReadTimeZone_Unknown_SuggestsTheClosest()
    {
        var yaml = With("    trunk: t1", "    trunk: t1\n    time_zone: Europe/Pari");
        var error = Error(yaml, RuleErrorCodes.InvalidTimeZone);
        AssertAt(error, yaml, "Europe/Pari", "practices[0].time_zone");
        Assert.That(error.Hint, Does.Contain("'Europe/Paris'"));
    }

    [Test]
    public void ReadTimeZone_Reunion_IsUsedForTheSchedule()
    {
        var rules = CompileYaml(With("    trunk: t1", "    trunk: t1\n    time_zone: Indian/Reunion")).Rules!;
        // 10:00 in Paris (winter) is 13:00 in La Réunion: the practice is at lunch
        var plan = RoutingDecision.Decide(rules, new CallRequest("0145000000", "", Instant.FromUtc(2026, 3, 2, 9, 0)), RuntimeState.None);
        Assert.That(plan.PracticeState, Is.EqualTo(PracticeState.Lunch));
        Assert.That(plan.TimeZone, Is.EqualTo("Indian/Reunion"));
    }

    [Test]
    public void ReadServiceLevel_AbsentOrGiven_IsTheFiguresTarget()
    {
        Assert.That(CompileYaml(ValidRules.Yaml).Rules!.Model.Practices[0].ServiceLevelSeconds, Is.EqualTo(20), "default");
        var rules = CompileYaml(With("    trunk: t1", "    trunk: t1\n    service_level_seconds: 30")).Rules!;
        Assert.That(rules.Model.Practices[0].ServiceLevelSeconds, Is.EqualTo(30));
    }

    [Test]
    public void ReadServiceLevel_NotAWholeNumberOfSeconds_IsAnError()
    {
        var yaml = With("    trunk: t1", "    trunk: t1\n    service_level_seconds: 20s");
        AssertAt(Error(yaml, RuleErrorCodes.WrongType), yaml, "20s", "practices[0].service_level_seconds");
    }

    [Test]
    public void ReadPhone_BadExtension_IsAnError()
    {
        var yaml = With("extension: \"101\"", "extension: \"1a1\"");
        AssertAt(Error(yaml, RuleErrorCodes.InvalidValue), yaml, "\"1a1\"", "practices[0].phones[0].extension");
    }

    [Test]
    public void ReadNumber_Invalid_SaysHowToWriteIt()
    {
        var yaml = With("numbers: [\"01 45 00 00 00\"]", "numbers: [\"01 45 00 00\"]");
        var error = Error(yaml, RuleErrorCodes.InvalidNumber);
        AssertAt(error, yaml, "\"01 45 00 00\"", "practices[0].numbers[0]");
        Assert.That(error.Hint, Does.Contain("+33145000000"));
    }

    [Test]
    public void ReadNumber_OverseasInNationalFormat_IsAWarning()
    {
        var yaml = With("numbers: [\"01 45 00 00 00\"]", "numbers: [\"02 62 00 00 00\"]");
        AssertAt(Warning(yaml, RuleErrorCodes.InvalidNumber), yaml, "\"02 62 00 00 00\"", "practices[0].numbers[0]");
    }
}
