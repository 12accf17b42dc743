using Microsoft.Extensions.Time.Testing;
using PbxRouter.Calls.Flows.Reception;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Tests.Flows.Reception;

/// <summary>
/// How the queue shares free members among waiting callers (autofill): several callers ring distinct members at once,
/// first come, first served, whatever order the callers' runtimes ask in.
/// </summary>
[TestFixture]
public sealed class QueueArbitrationTests
{
    private static readonly string[] Members = ["accueil-1", "accueil-2", "accueil-3"];
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-24T09:00:00Z"));

    [Test]
    public void TwoCallers_TwoFreeMembers_EachRingsItsOwnMemberAtOnce()
    {
        var queue = Line("first", "second");
        var free = Free("accueil-1", "accueil-2");

        var first = queue.TryOffer("first", Members, free, QueueStrategy.RoundRobin);
        var second = queue.TryOffer("second", Members, free, QueueStrategy.RoundRobin);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new[] { "accueil-1" }));
            Assert.That(second, Is.EqualTo(new[] { "accueil-2" }), "the second caller does not wait for the first to be answered");
            Assert.That(queue.Claims, Is.EqualTo(new Dictionary<string, string> { ["accueil-1"] = "first", ["accueil-2"] = "second" }));
        });
    }

    [Test]
    public void ALaterCaller_AskingFirst_TakesOnlyWhatTheEarlierCallersLeave()
    {
        var queue = Line("first", "second", "third");
        var free = Free("accueil-1", "accueil-2");

        // The third caller's runtime runs before the others': both free members are the earlier callers'.
        Assert.That(queue.TryOffer("third", Members, free, QueueStrategy.RoundRobin), Is.Empty);
        Assert.That(queue.TryOffer("second", Members, free, QueueStrategy.RoundRobin), Is.EqualTo(new[] { "accueil-2" }),
            "the best member stays for the first caller, who has not asked yet");
        Assert.That(queue.TryOffer("first", Members, free, QueueStrategy.RoundRobin), Is.EqualTo(new[] { "accueil-1" }));
        Assert.That(queue.TryOffer("third", Members, free, QueueStrategy.RoundRobin), Is.Empty, "nothing left");
    }

    [Test]
    public void AMemberBecomingFree_GoesToTheLongestWaitingCallerNotRinging_AndWakesTheLine()
    {
        var queue = Line("first", "second", "third");
        Assert.That(queue.TryOffer("first", Members, Free("accueil-1"), QueueStrategy.RoundRobin), Is.EqualTo(new[] { "accueil-1" }));
        var changed = queue.Changed;

        // accueil-2 ends a call elsewhere: the state events say it is free, and the board wakes the waiting callers.
        queue.Wake();
        var free = Free("accueil-2");

        Assert.Multiple(() =>
        {
            Assert.That(changed.IsCompleted, Is.True, "waiting callers look again at once");
            Assert.That(queue.TryOffer("third", Members, free, QueueStrategy.RoundRobin), Is.Empty, "the second caller waited longer");
            Assert.That(queue.TryOffer("first", Members, free, QueueStrategy.RoundRobin), Is.Empty, "a caller already ringing takes no other member");
            Assert.That(queue.TryOffer("second", Members, free, QueueStrategy.RoundRobin), Is.EqualTo(new[] { "accueil-2" }));
        });
    }

    [Test]
    public void ACallerHangingUpWhileRinging_FreesItsMemberForTheNextCaller()
    {
        var queue = Line("first", "second");
        var free = Free("accueil-1");
        Assert.That(queue.TryOffer("first", Members, free, QueueStrategy.RingAll), Is.EqualTo(new[] { "accueil-1" }));
        Assert.That(queue.TryOffer("second", Members, free, QueueStrategy.RingAll), Is.Empty, "accueil-1 rings for the first caller");
        var changed = queue.Changed;

        // The first caller hangs up: its ring stops (MemberRinging releases its members) and it leaves the line.
        queue.Release("accueil-1");
        queue.Leave("first");

        Assert.That(changed.IsCompleted, Is.True, "the second caller wakes up");
        Assert.That(queue.TryOffer("second", Members, free, QueueStrategy.RingAll), Is.EqualTo(new[] { "accueil-1" }));
    }

    [Test]
    public void ABusyMember_IsOfferedToNobody()
    {
        var queue = Line("first", "second");
        // accueil-1 talks on another call: the member states leave it out of the free ones.
        var free = Free("accueil-2");

        Assert.That(queue.TryOffer("first", Members, free, QueueStrategy.RingAll), Is.EqualTo(new[] { "accueil-2" }));
        Assert.That(queue.TryOffer("second", Members, free, QueueStrategy.RingAll), Is.Empty);
        Assert.That(queue.Claims.Keys, Is.EquivalentTo(new[] { "accueil-2" }));
    }

    [Test]
    public void RingAll_TheFirstCallerRingsEveryFreeMember_ThenAMemberFreedLaterGoesToTheNext()
    {
        var queue = Line("first", "second");

        Assert.That(queue.TryOffer("second", Members, Free("accueil-1", "accueil-2"), QueueStrategy.RingAll), Is.Empty,
            "ring all: every free member is the first caller's");
        Assert.That(queue.TryOffer("first", Members, Free("accueil-1", "accueil-2"), QueueStrategy.RingAll), Is.EqualTo(new[] { "accueil-1", "accueil-2" }));
        Assert.That(queue.TryOffer("second", Members, Free("accueil-1", "accueil-2", "accueil-3"), QueueStrategy.RingAll),
            Is.EqualTo(new[] { "accueil-3" }), "a member freed while the first caller rings goes to the second");
    }

    [Test]
    public void RoundRobin_SeveralCallers_GoOnFromTheLastMemberRung()
    {
        var queue = Line("a", "b", "c");
        var free = Free(Members);

        var rung = new[] { "a", "b", "c" }.Select(caller => queue.TryOffer(caller, Members, free, QueueStrategy.RoundRobin).Single()).ToList();
        Assert.That(rung, Is.EqualTo(Members));
        foreach (var member in Members) queue.Release(member);
        foreach (var caller in new[] { "a", "b", "c" }) queue.Leave(caller);

        queue.TryJoin("d", 5);
        Assert.That(queue.TryOffer("d", Members, Free("accueil-2", "accueil-3"), QueueStrategy.RoundRobin), Is.EqualTo(new[] { "accueil-2" }),
            "after accueil-3 the turn is accueil-1's (busy now), then accueil-2's");
    }

    [Test]
    public void ACallerNotInTheLine_RingsNobody()
    {
        var queue = Line("first");

        Assert.That(queue.TryOffer("gone", Members, Free(Members), QueueStrategy.RingAll), Is.Empty);
        Assert.That(queue.Claims, Is.Empty);
    }

    private QueueCoordinator Line(params string[] callers)
    {
        var queue = new QueueCoordinator(_time);
        foreach (var caller in callers)
        {
            Assert.That(queue.TryJoin(caller, 10), Is.True);
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        return queue;
    }

    private static HashSet<string> Free(params string[] members) => new(members, StringComparer.Ordinal);
}
