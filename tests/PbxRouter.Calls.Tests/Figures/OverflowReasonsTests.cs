using NodaTime;
using PbxRouter.Calls.Figures;
using PbxRouter.Store;
using static PbxRouter.Calls.Tests.Figures.CallRecords;

namespace PbxRouter.Calls.Tests.Figures;

/// <summary>Why a call went to the remote secretariat, from the steps the engine writes before ringing it.</summary>
public sealed class OverflowReasonsTests
{
    private static readonly FiguresQuery Tuesday =
        new(Practice, new LocalDate(2026, 12, 1), new LocalDate(2026, 12, 1), DateTimeZoneProviders.Tzdb["Europe/Paris"]);

    private static OverflowFigures OverflowOf(params (double, string, string?, string?)[] before) =>
        FiguresCalculator.Compute(Tuesday, FiguresSettings.Default,
        [
            Patient("c1", "2026-12-01 09:00:00", "+33611111111", CallOutcomes.Overflowed, "servitel",
                steps: [.. before, S(40, "ringing", "servitel", "overflow"), S(45, "overflowed", "servitel", "Servitel")]),
        ]).Overflow;

    [TestCase("nobody answered in 20 s", OverflowReasons.RingTimeout)]
    [TestCase("max wait 45 s reached", OverflowReasons.MaxWait)]
    [TestCase("queue full: 3 callers already wait", OverflowReasons.QueueFull)]
    [TestCase("every member is busy", OverflowReasons.AllBusy)]
    [TestCase("no member available (none registered)", OverflowReasons.NoneRegistered)]
    public void Reason_FromTheQueuesLastUnansweredStep(string detail, string reason)
    {
        var overflow = OverflowOf(Entered(), S(2, "queued", "tilleuls", "position 1"), S(3, "ringing", "accueil-1", "tilleuls"),
            S(20, "unanswered", "accueil-1", "tilleuls: NOANSWER"), S(39, "unanswered", "tilleuls", detail));

        Assert.That(overflow.Reasons, Is.EqualTo(new[] { new Tally(reason, 1) }));
        Assert.That(overflow.AnsweredThere, Is.EqualTo(1));
    }

    [TestCase("Lunch", "lunch")]
    [TestCase("AfterHours", "after-hours")]
    [TestCase("Closed", "closed")]
    [TestCase("Holiday", "holiday")]
    [TestCase("Closure", "closure")]
    [TestCase("Mode", "mode")]
    [TestCase("Open", "open")]
    public void Reason_WithoutAQueue_IsTheStateTheCallCameIn(string state, string reason) =>
        Assert.That(OverflowOf(Entered(state), S(1, "greeting", "tilleuls-bonjour")).Reasons, Is.EqualTo(new[] { new Tally(reason, 1) }));

    [Test]
    public void Reason_AfterTheUrgentStepsFoundNobody_IsUrgent() =>
        Assert.That(OverflowOf(Entered(), S(5, "escalated", "9", "the caller pressed the urgent key"), S(6, "escalated", "Dr A", "ring 25 s"),
            S(31, "unanswered", "Dr A", "no answer")).Reasons, Is.EqualTo(new[] { new Tally(OverflowReasons.Urgent, 1) }));

    [Test]
    public void Reason_WithoutSteps_IsOther() =>
        Assert.That(OverflowOf().Reasons, Is.EqualTo(new[] { new Tally(OverflowReasons.Other, 1) }));

    [Test]
    public void AForwardToADoctorsMobile_IsNoOverflow()
    {
        var f = FiguresCalculator.Compute(Tuesday, FiguresSettings.Default,
        [
            Patient("c1", "2026-12-01 09:00:00", "+33611111111", CallOutcomes.Answered, "forward",
                steps: [Entered("Mode"), S(1, "ringing", "forward", "overflow"), S(9, "overflowed", "forward", "forward")]),
        ]);

        Assert.That(f.Overflow.Sent, Is.EqualTo(new Share(0, 1)));
        Assert.That(f.Outcomes.Practice, Is.EqualTo(1));
        Assert.That(f.AnswerTimes, Is.EqualTo(new AnswerTimes(1, 9, 9)));
    }

    [Test]
    public void InterruptedFallbackAndFailedCalls_AreOfferedAndCountedApart()
    {
        var f = FiguresCalculator.Compute(Tuesday, FiguresSettings.Default,
        [
            Patient("i", "2026-12-01 09:00:00", "+33611111111", CallOutcomes.Interrupted, steps: [Entered(), S(2, "queued", "tilleuls"), S(60, "fallback")]),
            Patient("f", "2026-12-01 09:01:00", "+33622222222", CallOutcomes.Fallback, steps: [Entered(), S(70, "fallback", "fallback")]),
            Patient("x", "2026-12-01 09:02:00", "+33633333333", CallOutcomes.Failed, steps: [Entered(), S(70, "error", "fallback")]),
        ]);

        Assert.That(f.Outcomes, Is.EqualTo(new OutcomeSplit(0, 0, 0, 0, 0, 0, Interrupted: 1, Fallback: 1, Other: 1, 0)));
        Assert.That(f.Offered, Is.EqualTo(3));
        Assert.That(f.ServiceLevel, Is.EqualTo(new Share(0, 3)));
    }
}
