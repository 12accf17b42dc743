using Microsoft.Extensions.Time.Testing;
using PbxRouter.Calls.Flows.Reception;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Tests.Flows.Reception;

[TestFixture]
public sealed class QueueCoordinatorTests
{
    private static readonly string[] Members = ["accueil-1", "accueil-2", "accueil-3"];
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-24T09:00:00Z"));

    [Test]
    public void TryJoin_BeyondMaxCallers_IsRefusedAndPositionsFollowArrival()
    {
        var queue = new QueueCoordinator(_time);

        Assert.That(queue.TryJoin("a", 2) && queue.TryJoin("b", 2), Is.True);
        Assert.That(queue.TryJoin("c", 2), Is.False, "queue full");
        Assert.That((queue.PositionOf("a"), queue.PositionOf("b")), Is.EqualTo((1, 2)));
        queue.Leave("a");
        Assert.That(queue.PositionOf("b"), Is.EqualTo(1), "first come, first served");
    }

    [Test]
    public void TryJoin_WithAKeptPlace_GoesBackAheadOfLaterCallers_EvenWhenTheLineIsFull_AndWakesThem()
    {
        var queue = new QueueCoordinator(_time);
        Assert.That(queue.TryJoin("later-1", 2) && queue.TryJoin("later-2", 2), Is.True);
        var changed = queue.Changed;

        // Waited since before the engine restarted: its place comes back.
        Assert.That(queue.TryJoin("kept", 2, _time.GetUtcNow().AddSeconds(-30), placeKept: true), Is.True, "a kept place is never refused");

        Assert.Multiple(() =>
        {
            Assert.That((queue.PositionOf("kept"), queue.PositionOf("later-1"), queue.PositionOf("later-2")), Is.EqualTo((1, 2, 3)));
            Assert.That(changed.IsCompleted, Is.True, "the callers it passed wake up and see they are no longer first");
            Assert.That(queue.TryJoin("new", 2), Is.False, "a new caller still finds the line full");
        });
    }

    [Test]
    public void TryJoin_TwoKeptPlaces_KeepTheirOrderOfArrival()
    {
        var queue = new QueueCoordinator(_time);
        var now = _time.GetUtcNow();
        queue.TryJoin("second", 5, now.AddSeconds(-10), placeKept: true);
        queue.TryJoin("first", 5, now.AddSeconds(-20), placeKept: true);
        queue.TryJoin("same-time-as-second", 5, now.AddSeconds(-10), placeKept: true);

        Assert.That(new[] { "first", "second", "same-time-as-second" }.Select(queue.PositionOf), Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public void Order_RoundRobin_StartsAfterTheLastMemberRung()
    {
        var queue = new QueueCoordinator(_time);
        Assert.That(RingOnly(queue, "accueil-1"), Is.EqualTo(new[] { "accueil-1" }));
        queue.Release("accueil-1");

        Assert.That(queue.Order(Members, Members.ToHashSet(), QueueStrategy.RoundRobin), Is.EqualTo(new[] { "accueil-2", "accueil-3", "accueil-1" }));
    }

    [Test]
    public void Order_LeastRecent_PutsTheMemberRungLongestAgoFirst()
    {
        var queue = new QueueCoordinator(_time);
        RingOnly(queue, "accueil-2");
        queue.Release("accueil-2");
        _time.Advance(TimeSpan.FromMinutes(1));
        RingOnly(queue, "accueil-1");
        queue.Release("accueil-1");

        Assert.That(queue.Order(Members, Members.ToHashSet(), QueueStrategy.LeastRecent), Is.EqualTo(new[] { "accueil-3", "accueil-2", "accueil-1" }));
    }

    [Test]
    public void Order_SkipsBusyAndClaimedMembers()
    {
        var queue = new QueueCoordinator(_time);
        RingOnly(queue, "accueil-1");

        Assert.That(queue.Order(Members, new HashSet<string> { "accueil-1", "accueil-3" }, QueueStrategy.RingAll), Is.EqualTo(new[] { "accueil-3" }));
        queue.TryJoin("next", 5);
        Assert.That(queue.TryOffer("next", Members, new HashSet<string> { "accueil-1", "accueil-3" }, QueueStrategy.RingAll), Is.EqualTo(new[] { "accueil-3" }),
            "accueil-1 already rings for another caller");
    }

    /// <summary>A caller alone in the line whose only free member is <paramref name="member"/>: it rings it, then leaves the line.</summary>
    private static IReadOnlyList<string> RingOnly(QueueCoordinator queue, string member)
    {
        queue.TryJoin("caller-of-" + member, 5);
        var rung = queue.TryOffer("caller-of-" + member, Members, new HashSet<string> { member }, QueueStrategy.RingAll);
        queue.Leave("caller-of-" + member);
        return rung;
    }
}
