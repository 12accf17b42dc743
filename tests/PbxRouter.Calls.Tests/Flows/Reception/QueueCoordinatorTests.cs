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
    public void Order_RoundRobin_StartsAfterTheLastMemberRung()
    {
        var queue = new QueueCoordinator(_time);
        Assert.That(queue.TryClaim(["accueil-1"], Members), Is.True);
        queue.Release("accueil-1");

        Assert.That(queue.Order(Members, Members.ToHashSet(), QueueStrategy.RoundRobin), Is.EqualTo(new[] { "accueil-2", "accueil-3", "accueil-1" }));
    }

    [Test]
    public void Order_LeastRecent_PutsTheMemberRungLongestAgoFirst()
    {
        var queue = new QueueCoordinator(_time);
        queue.TryClaim(["accueil-2"], Members);
        queue.Release("accueil-2");
        _time.Advance(TimeSpan.FromMinutes(1));
        queue.TryClaim(["accueil-1"], Members);
        queue.Release("accueil-1");

        Assert.That(queue.Order(Members, Members.ToHashSet(), QueueStrategy.LeastRecent), Is.EqualTo(new[] { "accueil-3", "accueil-2", "accueil-1" }));
    }

    [Test]
    public void Order_SkipsBusyAndClaimedMembers()
    {
        var queue = new QueueCoordinator(_time);
        queue.TryClaim(["accueil-1"], Members);

        Assert.That(queue.Order(Members, new HashSet<string> { "accueil-1", "accueil-3" }, QueueStrategy.RingAll), Is.EqualTo(new[] { "accueil-3" }));
        Assert.That(queue.TryClaim(["accueil-1", "accueil-3"], Members), Is.False, "already ringing for another caller");
    }
}
