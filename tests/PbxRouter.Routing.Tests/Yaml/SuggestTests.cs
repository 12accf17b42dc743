using System.Diagnostics;

namespace PbxRouter.Routing.Tests.Yaml;

public class SuggestTests
{
    [TestCase("Europe/Pari", "Europe/Paris")]
    [TestCase("europe/paris", "Europe/Paris")]
    [TestCase("Indian/Reunon", "Indian/Reunion")]
    public void Closest_NearTimeZone_IsSuggested(string wrong, string expected) =>
        Assert.That(Suggest.Closest(wrong, DateTimeZoneProviders.Tzdb.Ids), Is.EqualTo(expected));

    [Test]
    public void Closest_NothingNear_IsNull() =>
        Assert.That(Suggest.Closest("Mars/Olympus", DateTimeZoneProviders.Tzdb.Ids), Is.Null);

    /// <summary>Found by fuzzing: each long time zone cost seconds of edit distances, and aliases repeat it.</summary>
    [Test]
    public void Compile_TenThousandCharacterTimeZoneRepeatedByAliases_IsReportedQuickly()
    {
        var yaml = $"practices:\n  - &p {{ id: p, time_zone: \"Europe/{new string('x', 10_000)}\" }}" + string.Concat(Enumerable.Repeat("\n  - *p", 20));
        var clock = Stopwatch.StartNew();

        var result = RulesCompiler.Compile("long.yaml", yaml);

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        Assert.That(result.Errors.Select(e => e.Code), Has.Some.EqualTo(RuleErrorCodes.InvalidTimeZone));
    }
}
