using Microsoft.Extensions.Time.Testing;
using PbxRouter.Hosting;

namespace PbxRouter.Tests.Hosting;

[TestFixture]
public sealed class PinnedClockTests
{
    [Test]
    public void GetUtcNow_StartsAtThePinnedInstantAndRunsForward()
    {
        var real = new FakeTimeProvider(DateTimeOffset.Parse("2030-01-01T00:00:00Z"));
        var clock = new PinnedClock(DateTimeOffset.Parse("2026-12-25T10:00:00+01:00"), real);

        Assert.That(clock.GetUtcNow(), Is.EqualTo(DateTimeOffset.Parse("2026-12-25T09:00:00Z")));
        real.Advance(TimeSpan.FromSeconds(90));
        Assert.That(clock.GetUtcNow(), Is.EqualTo(DateTimeOffset.Parse("2026-12-25T09:01:30Z")));
    }
}
