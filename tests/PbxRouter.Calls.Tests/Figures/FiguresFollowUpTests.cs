using NodaTime;
using PbxRouter.Calls.Figures;
using PbxRouter.Store;
using static PbxRouter.Calls.Tests.Figures.CallRecords;

namespace PbxRouter.Calls.Tests.Figures;

/// <summary>Abandoned callers: called back by the practice's phones, or reached since by calling again; one line per number.</summary>
public sealed class FiguresFollowUpTests
{
    private static readonly FiguresQuery Tuesday =
        new(Practice, new LocalDate(2026, 12, 1), new LocalDate(2026, 12, 1), DateTimeZoneProviders.Tzdb["Europe/Paris"]);

    private static CallRecord GaveUp(string id, string startUtc, string caller, string called = Number) =>
        Patient(id, startUtc, caller, CallOutcomes.Abandoned, called: called, steps: [Entered(), S(30, "abandoned", null, "after 30 s")]);

    [Test]
    public void Compute_CallerWhoCalledAgainAndGotThrough_IsNotToCallBack()
    {
        var records = new[]
        {
            GaveUp("c1", "2026-12-01 09:00:00", "+33611111111"),
            Patient("c2", "2026-12-01 09:30:00", "+33611111111", CallOutcomes.Answered, "accueil-2", steps: [Entered(), S(8, "answered", "accueil-2")]),
        };

        var caller = FiguresCalculator.Compute(Tuesday, FiguresSettings.Default, records).AbandonedCallers.Single();

        Assert.That(caller.CalledAgain, Is.EqualTo(new FollowUp(new DateTimeOffset(2026, 12, 1, 10, 30, 0, TimeSpan.FromHours(1)), "accueil-2", "practice", true)));
        Assert.That(caller.CalledBack, Is.Null);
        Assert.That(caller.ToCallBack, Is.False);
    }

    [Test]
    public void Compute_CallerWhoCalledAgainAndLeftAMessage_IsStillToCallBack()
    {
        var records = new[]
        {
            GaveUp("c1", "2026-12-01 09:00:00", "+33611111111"),
            Patient("c2", "2026-12-01 19:30:00", "+33611111111", CallOutcomes.Voicemail, steps: [Entered("Closed"), S(20, "voicemail", "tilleuls", "message m1, 9 s")]),
        };

        var caller = FiguresCalculator.Compute(Tuesday, FiguresSettings.Default, records).AbandonedCallers.Single();

        Assert.That(caller.CalledAgain?.Outcome, Is.EqualTo("voicemail"));
        Assert.That(caller.ToCallBack, Is.True);
    }

    [Test]
    public void Compute_CallBack_MatchesTheNumberWhateverItsForm_AfterTheLastAbandonAndWithinThreeDays()
    {
        var records = new[]
        {
            // national form from the trunk, E.164 on the phone's call: the same number; called back the next morning
            GaveUp("national", "2026-12-01 09:00:00", "0611111111"),
            PhoneCall("back-1", "2026-12-02 08:00:00", "accueil-1", "+33611111111", CallOutcomes.Unanswered),
            // called before giving up, not after: not a call-back
            PhoneCall("before", "2026-12-01 08:00:00", "accueil-1", "+33622222222", CallOutcomes.Answered),
            GaveUp("not-after", "2026-12-01 09:10:00", "+33622222222"),
            // called back 3 days and 1 s later: too late to count
            GaveUp("too-late", "2026-12-01 09:20:00", "+33633333333"),
            PhoneCall("back-3", "2026-12-04 09:20:01", "accueil-1", "+33633333333", CallOutcomes.Answered),
            // another practice's phone calling the number: not this practice's call-back
            GaveUp("other-practice", "2026-12-01 09:30:00", "+33644444444"),
            PhoneCall("back-4", "2026-12-01 10:00:00", "accueil-1", "+33644444444", CallOutcomes.Answered, practice: "val"),
        };

        var callers = FiguresCalculator.Compute(Tuesday, FiguresSettings.Default, records).AbandonedCallers.ToDictionary(c => c.Number!);

        Assert.That(callers["+33611111111"].CalledBack, Is.EqualTo(new FollowUp(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.FromHours(1)), "accueil-1", "unanswered", false)));
        Assert.That(callers["+33611111111"].ToCallBack, Is.False, "a call-back tried counts, answered or not");
        Assert.That(callers["+33622222222"].CalledBack, Is.Null);
        Assert.That(callers["+33633333333"].CalledBack, Is.Null);
        Assert.That(callers["+33644444444"].CalledBack, Is.Null);
    }

    [Test]
    public void Compute_ALine_CountsItsCallsOnly_ButCallBacksFromAnyPhoneOfThePractice()
    {
        const string direct = "+33145000099";
        var records = new[]
        {
            GaveUp("main", "2026-12-01 09:00:00", "+33611111111"),
            GaveUp("line", "2026-12-01 09:05:00", "+33622222222", called: direct),
            PhoneCall("back", "2026-12-01 10:00:00", "dr-martin", "+33622222222", CallOutcomes.Answered),
        };

        var f = FiguresCalculator.Compute(Tuesday with { Line = "01 45 00 00 99" }, FiguresSettings.Default, records);

        Assert.That(f.Line, Is.EqualTo(direct));
        Assert.That(f.Calls, Is.EqualTo(1));
        Assert.That(f.AbandonedCallers.Single().CalledBack?.By, Is.EqualTo("dr-martin"));
    }
}
