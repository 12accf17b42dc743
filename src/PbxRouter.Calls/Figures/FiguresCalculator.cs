using NodaTime;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Figures;

/// <summary>
/// Computes a practice's figures from its call records (docs/figures.md); pure: no clock, no I/O. The records may include
/// calls after the period (and calls from the practice's phones): they only say whether abandoned callers were called back
/// or called again.
/// </summary>
public static class FiguresCalculator
{
    public static PracticeFigures Compute(FiguresQuery query, FiguresSettings settings, IEnumerable<CallRecord> records)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(settings);
        if (query.To < query.From) throw new ArgumentException($"the period ends ({query.To}) before it starts ({query.From})", nameof(query));
        var practice = records.Where(r => r.PracticeId == query.PracticeId).ToList();
        var phoneCalls = practice.Where(CallFacts.IsPhoneCall).OrderBy(r => r.StartedAt).ToList();
        var patientCalls = practice.Where(r => !CallFacts.IsPhoneCall(r)).OrderBy(r => r.StartedAt).Select(r => CallFacts.Of(r, settings)).ToList();
        var line = query.Line is null ? null : Normalized(query.Line);
        var (start, end) = (query.Start.ToDateTimeOffset(), query.End.ToDateTimeOffset());
        var calls = patientCalls.Where(f => f.Record.StartedAt >= start && f.Record.StartedAt < end
                                            && (line is null || Normalized(f.Record.CalledNumber) == line)).ToList();
        var offered = calls.Count(f => f.Offered);
        var answered = calls.Where(f => f.AnsweredByAPerson && f.TimeToAnswer is not null).Select(f => f.TimeToAnswer!.Value.TotalSeconds).ToList();
        var sent = calls.Where(f => f.Offered && f.Overflowed).ToList();
        var urgent = calls.Where(f => f.Urgent).ToList();
        var local = calls.Select(f => (Call: f, At: query.Local(f.Record.StartedAt).LocalDateTime)).ToList();
        var (byHour, byDay) = (local.ToLookup(x => x.At.Hour, x => x.Call), local.ToLookup(x => x.At.Date, x => x.Call));
        return new PracticeFigures
        {
            PracticeId = query.PracticeId,
            Line = line,
            From = query.From.ToDateOnly(),
            To = query.To.ToDateOnly(),
            TimeZone = query.Zone.Id,
            ServiceLevelSeconds = (int)settings.ServiceLevel.TotalSeconds,
            AbandonAfterSeconds = (int)settings.AbandonAfter.TotalSeconds,
            Calls = calls.Count,
            ByNumber = Tallies(calls.Select(f => Normalized(f.Record.CalledNumber))),
            Offered = offered,
            Outcomes = Split(calls),
            ServiceLevel = new Share(calls.Count(f => f.AnsweredByAPerson && f.TimeToAnswer <= settings.ServiceLevel), offered),
            AnswerTimes = new AnswerTimes(answered.Count, answered.Count == 0 ? null : answered.Average(), Percentile90(answered)),
            Abandoned = new Share(calls.Count(f => f.Category == CallCategory.Abandoned), offered),
            AbandonedCallers = AbandonedCallers(query, settings, calls, patientCalls, phoneCalls),
            Overflow = new OverflowFigures(new Share(sent.Count, offered), sent.Count(f => f.Category == CallCategory.Secretariat),
                Tallies(sent.Select(f => f.OverflowReason!))),
            Urgent = new UrgentFigures(urgent.Count, Tallies(urgent.Where(f => f.UrgentTakenBy is not null).Select(f => f.UrgentTakenBy!)),
                urgent.Count(f => f.UrgentTakenBy is null)),
            Voicemails = new VoicemailFigures(calls.Sum(f => f.Messages.Count), Tallies(calls.SelectMany(f => f.Messages))),
            ByHour = Enumerable.Range(0, 24).Select(hour => Hour(hour, byHour[hour])).ToList(),
            ByDay = Days(query).Select(day => Day(day, byDay[day])).ToList(),
        };
    }

    private static OutcomeSplit Split(List<CallFacts> calls)
    {
        int Count(CallCategory c) => calls.Count(f => f.Category == c);
        return new OutcomeSplit(Count(CallCategory.Practice), Count(CallCategory.Secretariat), Count(CallCategory.Voicemail),
            Count(CallCategory.Abandoned), Count(CallCategory.ShortHangUp), Count(CallCategory.Refused), Count(CallCategory.Interrupted),
            Count(CallCategory.Fallback), Count(CallCategory.Other), Count(CallCategory.InProgress));
    }

    /// <summary>The nearest-rank 90th percentile: the smallest value that at least 90 % of the values do not exceed.</summary>
    internal static double? Percentile90(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Ceiling(0.9 * sorted.Count) - 1];
    }

    private static List<Tally> Tallies(IEnumerable<string> keys) =>
        keys.GroupBy(k => k, StringComparer.Ordinal).Select(g => new Tally(g.Key, g.Count()))
            .OrderByDescending(t => t.Calls).ThenBy(t => t.Key, StringComparer.Ordinal).ToList();

    private static HourFigures Hour(int hour, IEnumerable<CallFacts> calls)
    {
        var list = calls.ToList();
        return new HourFigures(hour, list.Count, list.Count(f => f.AnsweredByAPerson), list.Count(f => f.Category == CallCategory.Abandoned));
    }

    private static DayFigures Day(LocalDate day, IEnumerable<CallFacts> calls)
    {
        var list = calls.ToList();
        return new DayFigures(day.ToDateOnly(), list.Count, list.Count(f => f.AnsweredByAPerson), list.Count(f => f.Category == CallCategory.Abandoned),
            list.Count(f => f.Offered && f.Overflowed), list.Count(f => f.Category == CallCategory.Voicemail));
    }

    private static IEnumerable<LocalDate> Days(FiguresQuery query)
    {
        for (var day = query.From; day <= query.To; day = day.PlusDays(1))
            yield return day;
    }

    /// <summary>One line per caller who gave up (counted abandons only), with what followed their last abandoned call.</summary>
    private static List<AbandonedCaller> AbandonedCallers(FiguresQuery query, FiguresSettings settings, List<CallFacts> calls,
        List<CallFacts> patientCalls, List<CallRecord> phoneCalls)
    {
        DateTimeOffset Local(DateTimeOffset at) => query.Local(at).ToDateTimeOffset();
        var phonedTo = phoneCalls.ToLookup(r => Normalized(r.CalledNumber));
        var calledFrom = patientCalls.Where(f => Reachable(f.Record)).ToLookup(f => Normalized(f.Record.CallerNumber!));
        var callers = new List<AbandonedCaller>();
        foreach (var group in calls.Where(f => f.Category == CallCategory.Abandoned).Select(f => f.Record)
                     .GroupBy(r => (Number: Reachable(r) ? Normalized(r.CallerNumber!) : null, r.CallerWithheld)))
        {
            var (first, last) = (group.First(), group.Last());
            FollowUp? calledBack = null, calledAgain = null;
            if (group.Key.Number is { } number)
            {
                bool Follows(CallRecord r) => r.StartedAt > last.StartedAt && r.StartedAt <= last.StartedAt + settings.CallBackWithin;
                if (phonedTo[number].FirstOrDefault(Follows) is { } back)
                    calledBack = new FollowUp(Local(back.StartedAt), back.Steps.FirstOrDefault(s => s.Kind == CallStepKinds.Entered)?.Target,
                        back.Outcome ?? "in progress", back.Outcome == CallOutcomes.Answered);
                if (calledFrom[number].FirstOrDefault(f => Follows(f.Record)) is { } again)
                    calledAgain = new FollowUp(Local(again.Record.StartedAt), again.Record.AnsweredBy, CategoryKey(again.Category), again.AnsweredByAPerson);
            }
            callers.Add(new AbandonedCaller(group.Key.Number, group.Key.CallerWithheld, group.Count(), Local(first.StartedAt), Local(last.StartedAt),
                calledBack, calledAgain));
        }
        return callers.OrderByDescending(c => c.ToCallBack).ThenBy(c => c.Number is null).ThenBy(c => c.Last).ToList();
    }

    /// <summary>The categories' names in reports and JSON.</summary>
    public static string CategoryKey(CallCategory category) => category switch
    {
        CallCategory.ShortHangUp => "short-hang-up",
        CallCategory.InProgress => "in-progress",
        _ => category.ToString().ToLowerInvariant(),
    };

    /// <summary>A caller the practice may call back: a number that was not withheld.</summary>
    private static bool Reachable(CallRecord r) => !r.CallerWithheld && !string.IsNullOrWhiteSpace(r.CallerNumber);

    private static string Normalized(string number) => PhoneNumbers.TryNormalize(number, out var e164) ? e164 : number;
}
