using static PbxRouter.Routing.Tests.SampleRules;

namespace PbxRouter.Routing.Tests.Decision;

public class LocalTimesTests
{
    [TestCase("2026-12-25 10:00")]
    [TestCase("2026-12-25 10:00:00")]
    [TestCase("2026-12-25T10:00")]
    public void TryParse_AcceptsTheCliFormats(string text)
    {
        Assert.That(LocalTimes.TryParse(text, out var local), Is.True);
        Assert.That(local, Is.EqualTo(new LocalDateTime(2026, 12, 25, 10, 0)));
    }

    [Test]
    public void TryParse_RejectsNonsense() => Assert.That(LocalTimes.TryParse("25/12/2026", out _), Is.False);

    [Test]
    public void ToInstant_SkippedTime_MovesForwardByTheGap()
    {
        var instant = LocalTimes.ToInstant(new LocalDateTime(2026, 3, 29, 2, 30), Paris);
        Assert.That(instant, Is.EqualTo(Instant.FromUtc(2026, 3, 29, 1, 30)));
        Assert.That(instant.InZone(Paris).LocalDateTime, Is.EqualTo(new LocalDateTime(2026, 3, 29, 3, 30)));
        Assert.That(LocalTimes.AllInstants(new LocalDateTime(2026, 3, 29, 2, 30), Paris), Is.Empty);
    }

    [Test]
    public void ToInstant_RepeatedTime_TakesTheFirstOccurrence()
    {
        var local = new LocalDateTime(2026, 10, 25, 2, 30);
        Assert.That(LocalTimes.ToInstant(local, Paris), Is.EqualTo(Instant.FromUtc(2026, 10, 25, 0, 30)));
        Assert.That(LocalTimes.AllInstants(local, Paris), Is.EqualTo(new[] { Instant.FromUtc(2026, 10, 25, 0, 30), Instant.FromUtc(2026, 10, 25, 1, 30) }));
    }

    [Test]
    public void Request_UsesTheZoneOfThePracticeCalled()
    {
        var request = LocalTimes.Request(Rules, "0145000000", "0611111111", new LocalDateTime(2026, 12, 25, 10, 0));
        Assert.That(request.At, Is.EqualTo(Instant.FromUtc(2026, 12, 25, 9, 0)));
    }

    [Test]
    public void Format_ShowsTheOffset() =>
        Assert.That(LocalTimes.Format(Instant.FromUtc(2026, 10, 25, 1, 30), Paris), Is.EqualTo("2026-10-25 02:30 +01"));
}
