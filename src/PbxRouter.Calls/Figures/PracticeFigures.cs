namespace PbxRouter.Calls.Figures;

/// <summary>
/// A practice's figures for a period (docs/figures.md): what happened to its patients' calls, how fast they were answered,
/// who gave up and whether they were called back, why calls overflowed, urgent calls and messages; by hour and by day.
/// </summary>
public sealed record PracticeFigures
{
    public required string PracticeId { get; init; }
    /// <summary>The number (E.164) the report is restricted to; null: every number of the practice.</summary>
    public string? Line { get; init; }
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    public required string TimeZone { get; init; }
    public required int ServiceLevelSeconds { get; init; }
    public required int AbandonAfterSeconds { get; init; }
    /// <summary>Patients' calls started in the period.</summary>
    public required int Calls { get; init; }
    /// <summary>The calls by the number they called (E.164: the practice's own numbers and its lines'), most called first.</summary>
    public required IReadOnlyList<Tally> ByNumber { get; init; }
    /// <summary>Calls the rates count: all but refused calls, short hang-ups and calls still in progress.</summary>
    public required int Offered { get; init; }
    public required OutcomeSplit Outcomes { get; init; }
    /// <summary>Calls a person took within the service level, of the offered calls.</summary>
    public required Share ServiceLevel { get; init; }
    public required AnswerTimes AnswerTimes { get; init; }
    /// <summary>Abandoned calls (waited at least AbandonAfterSeconds), of the offered calls.</summary>
    public required Share Abandoned { get; init; }
    /// <summary>The callers who gave up, one line per number, those still to call back first.</summary>
    public required IReadOnlyList<AbandonedCaller> AbandonedCallers { get; init; }
    public required OverflowFigures Overflow { get; init; }
    public required UrgentFigures Urgent { get; init; }
    public required VoicemailFigures Voicemails { get; init; }
    /// <summary>Hours 0 to 23 of the practice's local time, each with the calls that started in it over the period.</summary>
    public required IReadOnlyList<HourFigures> ByHour { get; init; }
    /// <summary>Every day of the period, also those without calls.</summary>
    public required IReadOnlyList<DayFigures> ByDay { get; init; }
}

/// <summary>A count out of a total; <see cref="Rate"/> is null when the total is 0.</summary>
public sealed record Share(int Count, int Of)
{
    public double? Rate => Of == 0 ? null : (double)Count / Of;
}

/// <summary>Where the period's calls ended; the counts add up to the calls.</summary>
public sealed record OutcomeSplit(int Practice, int Secretariat, int Voicemail, int Abandoned, int ShortHangUps, int Refused,
    int Interrupted, int Fallback, int Other, int InProgress);

/// <summary>Time to answer of the calls a person took (practice or secretariat), in seconds; null without such calls.</summary>
public sealed record AnswerTimes(int Calls, double? AverageSeconds, double? P90Seconds);

/// <summary>Someone to call back (or not): their abandoned calls, and what followed the last one.</summary>
public sealed record AbandonedCaller(string? Number, bool Withheld, int Calls, DateTimeOffset First, DateTimeOffset Last,
    FollowUp? CalledBack, FollowUp? CalledAgain)
{
    /// <summary>Still to call back: a number the practice can call, not called back, and not reached since by calling again.</summary>
    public bool ToCallBack => Number is not null && !Withheld && CalledBack is null && CalledAgain?.Reached != true;
}

/// <summary>What followed an abandoned call: an outgoing call of the practice's phone <see cref="By"/>, or the patient calling again.</summary>
public sealed record FollowUp(DateTimeOffset At, string? By, string Outcome, bool Reached);

/// <summary>Calls sent to the remote secretariat, how many it answered, and why they overflowed.</summary>
public sealed record OverflowFigures(Share Sent, int AnsweredThere, IReadOnlyList<Tally> Reasons);

/// <summary>Urgent calls (the urgent key, or a caller routed straight to the escalation) and who took them.</summary>
public sealed record UrgentFigures(int Calls, IReadOnlyList<Tally> TakenBy, int NotTaken);

/// <summary>Messages left during the period's calls, by box.</summary>
public sealed record VoicemailFigures(int Left, IReadOnlyList<Tally> ByBox);

/// <summary>A named count (a reason, a person, a box).</summary>
public sealed record Tally(string Key, int Calls);

/// <summary>The calls that started in one hour of the day (local), over the whole period.</summary>
public sealed record HourFigures(int Hour, int Calls, int Answered, int Abandoned);

/// <summary>The calls that started on one day (local).</summary>
public sealed record DayFigures(DateOnly Date, int Calls, int Answered, int Abandoned, int Overflowed, int Voicemail);
