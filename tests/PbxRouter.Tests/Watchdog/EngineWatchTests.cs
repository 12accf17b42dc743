using Microsoft.Extensions.Time.Testing;
using PbxRouter.Watchdog;

namespace PbxRouter.Tests.Watchdog;

[TestFixture]
public sealed class EngineWatchTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private FakeTimeProvider _time = null!;
    private EngineWatch _watch = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider();
        _watch = new EngineWatch(Bound, _time);
    }

    [Test]
    public void AHeartbeatThatKeepsMoving_NeverCountsAsAway()
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.That(_watch.Observe($"boot {i}"), Is.EqualTo(i > 0), $"beat {i}");
            _time.Advance(TimeSpan.FromSeconds(2));
            Assert.That(_watch.IsAway, Is.False);
        }
    }

    [Test]
    public void AHeartbeatThatStandsStill_IsAwayOnlyOnceTheWholeBoundHasPassed()
    {
        _watch.Observe("boot 7");
        _time.Advance(Bound - TimeSpan.FromMilliseconds(1));
        _watch.Observe("boot 7");
        Assert.That(_watch.IsAway, Is.False);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(_watch.IsAway, Is.True);
        Assert.That(_watch.AwayFor, Is.EqualTo(Bound));

        Assert.That(_watch.Observe("other 1"), Is.True, "a new engine process writes another value");
        Assert.That(_watch.IsAway, Is.False);
    }

    [Test]
    public void AtStart_AnOldHeartbeatIsNotABeat_AndAFullBoundIsAwaited()
    {
        Assert.That(_watch.Observe("dead 41"), Is.False);
        _time.Advance(Bound / 2);
        Assert.That(_watch.IsAway, Is.False);
        _time.Advance(Bound / 2);
        Assert.That(_watch.IsAway, Is.True);
    }

    [Test]
    public void AFailedRead_RestartsTheCount_AtTheNextSuccessfulOne()
    {
        _watch.Observe("boot 1");
        _time.Advance(Bound - TimeSpan.FromSeconds(1));
        _watch.Blind();
        Assert.That(_watch.IsAway, Is.False);
        Assert.That(_watch.AwayFor, Is.EqualTo(TimeSpan.Zero));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.That(_watch.IsAway, Is.False, "blind: the time not seen does not count");

        _watch.Observe("boot 1");
        Assert.That(_watch.IsAway, Is.False);
        _time.Advance(Bound);
        Assert.That(_watch.IsAway, Is.True);
    }

    [Test]
    public void AnEmptyValue_IsNotABeat()
    {
        _watch.Observe("boot 1");
        _time.Advance(Bound / 2);
        Assert.That(_watch.Observe(""), Is.False, "Asterisk restarted and forgot the variable");
        _time.Advance(Bound / 2);
        Assert.That(_watch.IsAway, Is.True);
        Assert.That(_watch.Observe("boot 2"), Is.True, "the last value seen is kept");
    }
}
