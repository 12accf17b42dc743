using NodaTime;
using PbxRouter.Calls.Figures;
using PbxRouter.Store;
using static PbxRouter.Calls.Tests.Figures.CallRecords;

namespace PbxRouter.Calls.Tests.Figures;

/// <summary>Figures of hand-written call records; every expected number is worked out by hand in the comments.</summary>
public sealed class FiguresCalculatorTests
{
    private static readonly DateTimeZone Paris = DateTimeZoneProviders.Tzdb["Europe/Paris"];
    private static readonly FiguresSettings Settings = FiguresSettings.Default; // 20 s, abandoned from 5 s, call-backs within 3 days

    private static FiguresQuery Day(int year, int month, int day, DateTimeZone? zone = null, string? line = null) =>
        new(Practice, new LocalDate(year, month, day), new LocalDate(year, month, day), zone ?? Paris, line);

    /// <summary>Tuesday 1 December 2026 at the Tilleuls (Paris, UTC+1 in winter: local 09:00 is 08:00 UTC).</summary>
    private static List<CallRecord> ATuesday() =>
    [
        // 09:00 answered by accueil-1 after 12 s.
        Patient("c1", "2026-12-01 08:00:00", "+33611111111", CallOutcomes.Answered, "accueil-1", steps:
            [Entered(), S(2, "queued", "tilleuls", "position 1"), S(2, "ringing", "accueil-1", "tilleuls"), S(12, "answered", "accueil-1", "tilleuls"), S(90, "hungup", "caller")]),
        // 09:10 nobody answered in 20 s: overflow, the secretariat answers at 34 s.
        Patient("c2", "2026-12-01 08:10:00", "+33622222222", CallOutcomes.Overflowed, "servitel", steps:
            [Entered(), S(2, "queued", "tilleuls"), S(26, "unanswered", "tilleuls", "nobody answered in 20 s"), S(26, "ringing", "servitel", "overflow"),
             S(34, "overflowed", "servitel", "Servitel"), S(120, "hungup", "caller")]),
        // 09:20 gave up after 40 s; accueil-1 calls the number back at 12:00.
        Patient("c3", "2026-12-01 08:20:00", "+33633333333", CallOutcomes.Abandoned, steps:
            [Entered(), S(2, "queued", "tilleuls"), S(40, "abandoned", null, "after 40 s")]),
        // 09:30 hung up after 3 s: not counted as abandoned.
        Patient("c4", "2026-12-01 08:30:00", "+33644444444", CallOutcomes.Abandoned, steps: [Entered(), S(3, "abandoned", null, "after 3 s")]),
        // 10:05 gave up after 25 s (the same caller gives up again at 16:00).
        Patient("c5", "2026-12-01 09:05:00", "+33655555555", CallOutcomes.Abandoned, steps: [Entered(), S(25, "abandoned", null, "after 25 s")]),
        // 12:45 lunch: straight to the secretariat, which answers at 15 s.
        Patient("c6", "2026-12-01 11:45:00", "+33666666666", CallOutcomes.Overflowed, "servitel", steps:
            [Entered("Lunch"), S(1, "greeting", "tilleuls-bonjour"), S(6, "ringing", "servitel", "overflow"), S(15, "overflowed", "servitel", "Servitel")]),
        // 14:02 a blocked caller, refused.
        Patient("c7", "2026-12-01 13:02:00", "+33600000000", CallOutcomes.Refused, steps: [Entered("Blocked"), S(0, "refused", null, "SIP 403: harassment")]),
        // 14:30 queue full: overflow, the secretariat does not answer, a message is left in box tilleuls.
        Patient("c8", "2026-12-01 13:30:00", "+33677777777", CallOutcomes.Voicemail, steps:
            [Entered(), S(5, "unanswered", "tilleuls", "queue full: 3 callers already wait"), S(5, "ringing", "servitel", "overflow"),
             S(35, "unanswered", "servitel", "overflow: NOANSWER (timeout)"), S(36, "voicemail", null, "recording"), S(52, "voicemail", "tilleuls", "message m1, 12 s")]),
        // 15:00 urgent key at 8 s, Dr Martin accepts on his mobile at 18 s.
        Patient("c9", "2026-12-01 14:00:00", "+33688888888", CallOutcomes.Answered, "Dr Martin", steps:
            [Entered(), S(2, "queued", "tilleuls"), S(8, "escalated", "9", "the caller pressed the urgent key"),
             S(8, "escalated", "Dr Martin", "ring 25 s, screening key 1"), S(18, "answered", "Dr Martin", "urgent call accepted on the mobile")]),
        // 16:00 the 10:05 caller gives up again, after 8 s.
        Patient("c10", "2026-12-01 15:00:00", "+33655555555", CallOutcomes.Abandoned, steps: [Entered(), S(8, "abandoned", null, "after 8 s")]),
        // 17:00 still in progress.
        Patient("c11", "2026-12-01 16:00:00", "+33611111111", null, steps: [Entered(), S(2, "queued", "tilleuls")]),
        // 18:00 a withheld caller gives up after 30 s.
        Patient("c12", "2026-12-01 17:00:00", "+33699999999", CallOutcomes.Abandoned, withheld: true, steps: [Entered(), S(30, "abandoned", null, "after 30 s")]),
        // Not in the figures: the day before (23:59:59 local), the next day, another practice.
        Patient("before", "2026-11-30 22:59:59", "+33612000000", CallOutcomes.Answered, "accueil-1", steps: [Entered(), S(5, "answered", "accueil-1")]),
        Patient("next-day", "2026-12-01 23:00:00", "+33612000000", CallOutcomes.Abandoned, steps: [Entered(), S(30, "abandoned")]),
        Patient("other", "2026-12-01 08:00:00", "+33612000000", CallOutcomes.Abandoned, practice: "val", steps: [Entered(), S(30, "abandoned")]),
        // The practice's phones: accueil-1 calls the 09:20 caller back at 12:00 (a call out, not a patient's call).
        PhoneCall("p1", "2026-12-01 11:00:00", "accueil-1", "+33633333333", CallOutcomes.Answered),
    ];

    [Test]
    public void Compute_ATuesday_CountsEveryFigureAsWorkedOutByHand()
    {
        var f = FiguresCalculator.Compute(Day(2026, 12, 1), Settings, ATuesday());

        Assert.Multiple(() =>
        {
            Assert.That(f.Calls, Is.EqualTo(12), "c1 to c12");
            Assert.That(f.ByNumber, Is.EqualTo(new[] { new Tally(Number, 12) }));
            // practice c1 c9, secretariat c2 c6, voicemail c8, abandoned c3 c5 c10 c12, short c4, refused c7, in progress c11
            Assert.That(f.Outcomes, Is.EqualTo(new OutcomeSplit(Practice: 2, Secretariat: 2, Voicemail: 1, Abandoned: 4, ShortHangUps: 1,
                Refused: 1, Interrupted: 0, Fallback: 0, Other: 0, InProgress: 1)));
            Assert.That(f.Offered, Is.EqualTo(9), "12 - refused - short hang-up - in progress");
            Assert.That(f.ServiceLevel, Is.EqualTo(new Share(3, 9)), "c1 12 s, c6 15 s, c9 18 s; c2 took 34 s");
            Assert.That(f.ServiceLevel.Rate, Is.EqualTo(0.3333).Within(0.0001));
            // 12, 15, 18, 34: mean 79 / 4; nearest rank ceil(0.9 x 4) = 4th: 34
            Assert.That(f.AnswerTimes, Is.EqualTo(new AnswerTimes(4, 19.75, 34)));
            Assert.That(f.Abandoned, Is.EqualTo(new Share(4, 9)));
            Assert.That(f.Overflow.Sent, Is.EqualTo(new Share(3, 9)), "c2, c6, c8");
            Assert.That(f.Overflow.AnsweredThere, Is.EqualTo(2), "c2, c6");
            Assert.That(f.Overflow.Reasons, Is.EqualTo(new[] { new Tally("lunch", 1), new Tally("queue-full", 1), new Tally("ring-timeout", 1) }));
            Assert.That(f.Urgent, Is.EqualTo(new UrgentFigures(1, [new Tally("Dr Martin", 1)], 0)).Using<UrgentFigures>(SameUrgent));
            Assert.That(f.Voicemails.Left, Is.EqualTo(1));
            Assert.That(f.Voicemails.ByBox, Is.EqualTo(new[] { new Tally("tilleuls", 1) }));
            Assert.That(f.ByDay, Is.EqualTo(new[] { new DayFigures(new DateOnly(2026, 12, 1), 12, Answered: 4, Abandoned: 4, Overflowed: 3, Voicemail: 1) }));
        });
    }

    [Test]
    public void Compute_ATuesday_ByHourOfLocalTime()
    {
        var f = FiguresCalculator.Compute(Day(2026, 12, 1), Settings, ATuesday());

        Assert.That(f.ByHour, Has.Count.EqualTo(24));
        // 9 h: c1 c2 (answered) c3 (abandoned) c4 (short); 10 h: c5; 12 h: c6; 14 h: c7 c8; 15 h: c9; 16 h: c10; 17 h: c11; 18 h: c12
        Assert.That(f.ByHour.Where(h => h.Calls > 0), Is.EqualTo(new[]
        {
            new HourFigures(9, 4, Answered: 2, Abandoned: 1), new HourFigures(10, 1, 0, 1), new HourFigures(12, 1, 1, 0),
            new HourFigures(14, 2, 0, 0), new HourFigures(15, 1, 1, 0), new HourFigures(16, 1, 0, 1), new HourFigures(17, 1, 0, 0),
            new HourFigures(18, 1, 0, 1),
        }));
    }

    [Test]
    public void Compute_ATuesday_ListsTheCallersToCallBackFirst()
    {
        var f = FiguresCalculator.Compute(Day(2026, 12, 1), Settings, ATuesday());
        var hour = TimeSpan.FromHours(1);

        Assert.That(f.AbandonedCallers, Is.EqualTo(new[]
        {
            // gave up twice, nobody called back
            new AbandonedCaller("+33655555555", false, 2, new DateTimeOffset(2026, 12, 1, 10, 5, 0, hour), new DateTimeOffset(2026, 12, 1, 16, 0, 0, hour), null, null),
            new AbandonedCaller("+33633333333", false, 1, new DateTimeOffset(2026, 12, 1, 9, 20, 0, hour), new DateTimeOffset(2026, 12, 1, 9, 20, 0, hour),
                new FollowUp(new DateTimeOffset(2026, 12, 1, 12, 0, 0, hour), "accueil-1", "answered", Reached: true), null),
            // withheld: cannot be called back
            new AbandonedCaller(null, true, 1, new DateTimeOffset(2026, 12, 1, 18, 0, 0, hour), new DateTimeOffset(2026, 12, 1, 18, 0, 0, hour), null, null),
        }));
        Assert.That(f.AbandonedCallers.Select(c => c.ToCallBack), Is.EqualTo(new[] { true, false, false }));
    }

    [Test]
    public void Compute_NoCalls_ZerosAndNoRates()
    {
        var query = new FiguresQuery(Practice, new LocalDate(2026, 12, 1), new LocalDate(2026, 12, 3), Paris);

        var f = FiguresCalculator.Compute(query, Settings, []);

        Assert.Multiple(() =>
        {
            Assert.That(f.Calls, Is.Zero);
            Assert.That(f.Offered, Is.Zero);
            Assert.That(f.ServiceLevel, Is.EqualTo(new Share(0, 0)));
            Assert.That(f.ServiceLevel.Rate, Is.Null);
            Assert.That(f.Abandoned.Rate, Is.Null);
            Assert.That(f.AnswerTimes, Is.EqualTo(new AnswerTimes(0, null, null)));
            Assert.That(f.AbandonedCallers, Is.Empty);
            Assert.That(f.Overflow.Reasons, Is.Empty);
            Assert.That(f.ByHour.Select(h => h.Calls), Is.EqualTo(Enumerable.Repeat(0, 24)));
            Assert.That(f.ByDay.Select(d => (d.Date, d.Calls)), Is.EqualTo(new[]
                { (new DateOnly(2026, 12, 1), 0), (new DateOnly(2026, 12, 2), 0), (new DateOnly(2026, 12, 3), 0) }), "every day, also without calls");
        });
    }

    [Test]
    public void Compute_AllAbandoned_AbandonRateIsOneAndNobodyAnsweredInTime()
    {
        var records = new[]
        {
            Patient("a1", "2026-12-01 08:00:00", "+33611111111", CallOutcomes.Abandoned, steps: [Entered(), S(10, "abandoned")]),
            Patient("a2", "2026-12-01 08:01:00", "+33622222222", CallOutcomes.Abandoned, steps: [Entered(), S(20, "abandoned")]),
            // exactly 5 s: counted (a hang-up *before* 5 s is not)
            Patient("a3", "2026-12-01 08:02:00", "+33633333333", CallOutcomes.Abandoned, steps: [Entered(), S(5, "abandoned")]),
            // 4.9 s: not counted
            Patient("a4", "2026-12-01 08:03:00", "+33644444444", CallOutcomes.Abandoned, steps: [Entered(), S(4.9, "abandoned")]),
        };

        var f = FiguresCalculator.Compute(Day(2026, 12, 1), Settings, records);

        Assert.That(f.Abandoned, Is.EqualTo(new Share(3, 3)));
        Assert.That(f.Abandoned.Rate, Is.EqualTo(1.0));
        Assert.That(f.Outcomes.ShortHangUps, Is.EqualTo(1));
        Assert.That(f.ServiceLevel, Is.EqualTo(new Share(0, 3)));
        Assert.That(f.AnswerTimes, Is.EqualTo(new AnswerTimes(0, null, null)));
        Assert.That(f.AbandonedCallers.Select(c => c.Number), Is.EqualTo(new[] { "+33611111111", "+33622222222", "+33633333333" }));
    }

    [Test]
    public void Compute_AbandonAfterSetting_MovesTheThreshold()
    {
        var records = new[] { Patient("a1", "2026-12-01 08:00:00", "+33611111111", CallOutcomes.Abandoned, steps: [Entered(), S(10, "abandoned")]) };

        var f = FiguresCalculator.Compute(Day(2026, 12, 1), Settings with { AbandonAfter = TimeSpan.FromSeconds(15) }, records);

        Assert.That(f.Outcomes.ShortHangUps, Is.EqualTo(1));
        Assert.That(f.Abandoned, Is.EqualTo(new Share(0, 0)));
        Assert.That(f.AbandonAfterSeconds, Is.EqualTo(15));
    }

    [Test]
    public void Compute_ServiceLevelSetting_CountsAnAnswerAtExactlyNSecondsAsInTime()
    {
        var records = new[]
        {
            Patient("c1", "2026-12-01 08:00:00", "+33611111111", CallOutcomes.Answered, "accueil-1", steps: [Entered(), S(30, "answered", "accueil-1")]),
            Patient("c2", "2026-12-01 08:01:00", "+33622222222", CallOutcomes.Answered, "accueil-1", steps: [Entered(), S(30.001, "answered", "accueil-1")]),
        };

        var f = FiguresCalculator.Compute(Day(2026, 12, 1), Settings with { ServiceLevel = TimeSpan.FromSeconds(30) }, records);

        Assert.That(f.ServiceLevel, Is.EqualTo(new Share(1, 2)));
        Assert.That(f.ServiceLevelSeconds, Is.EqualTo(30));
    }

    [Test]
    public void Percentile90_NearestRank()
    {
        Assert.That(FiguresCalculator.Percentile90([7]), Is.EqualTo(7));
        Assert.That(FiguresCalculator.Percentile90([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]), Is.EqualTo(9), "ceil(9.0) = 9th of 10");
        Assert.That(FiguresCalculator.Percentile90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), Is.EqualTo(10), "ceil(9.9) = 10th of 11");
        Assert.That(FiguresCalculator.Percentile90([]), Is.Null);
    }

    private static bool SameUrgent(UrgentFigures a, UrgentFigures b) => a.Calls == b.Calls && a.NotTaken == b.NotTaken && a.TakenBy.SequenceEqual(b.TakenBy);
}
