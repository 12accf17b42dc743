using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Figures;

/// <summary>Where a patient's call ended, as the figures count it (docs/figures.md "Outcomes").</summary>
public enum CallCategory { Practice, Secretariat, Voicemail, Abandoned, ShortHangUp, Refused, Interrupted, Fallback, Other, InProgress }

/// <summary>What the figures need from one patient's call record, read once from its outcome and steps.</summary>
internal sealed record CallFacts(
    CallRecord Record,
    CallCategory Category,
    TimeSpan? TimeToAnswer,
    string? OverflowReason,
    bool Urgent,
    string? UrgentTakenBy,
    IReadOnlyList<string> Messages)
{
    /// <summary>A call a person took: someone of the practice (reception, a doctor's mobile) or the remote secretariat.</summary>
    public bool AnsweredByAPerson => Category is CallCategory.Practice or CallCategory.Secretariat;

    /// <summary>Counted in the rates: not refused, not a short hang-up, not still in progress.</summary>
    public bool Offered => Category is not (CallCategory.Refused or CallCategory.ShortHangUp or CallCategory.InProgress);

    public bool Overflowed => OverflowReason is not null;

    /// <summary>
    /// A call made from one of the practice's phones (outside or internal), not a patient's: its `entered` step is written
    /// by the phones' router as "from phone ID..." (src/PbxRouter.Calls/Phones/PhoneCallRouter.cs).
    /// </summary>
    public static bool IsPhoneCall(CallRecord r) =>
        r.Steps.FirstOrDefault(s => s.Kind == CallStepKinds.Entered)?.Detail?.StartsWith("from phone ", StringComparison.Ordinal) == true;

    public static CallFacts Of(CallRecord r, FiguresSettings settings)
    {
        var steps = r.Steps;
        var category = CategoryOf(r, settings);
        TimeSpan? toAnswer = null;
        if (category is CallCategory.Practice or CallCategory.Secretariat
            && steps.FirstOrDefault(s => s.Kind is CallStepKinds.Answered or CallStepKinds.Overflowed) is { } answer)
            toAnswer = answer.At - r.StartedAt;
        var firstOverflow = IndexOf(steps, IsOverflowAttempt);
        var firstUrgent = IndexOf(steps, s => s.Kind == CallStepKinds.Escalated);
        string? takenBy = null;
        if (firstUrgent >= 0)
            takenBy = steps.Skip(firstUrgent).FirstOrDefault(s => s.Kind is CallStepKinds.Answered or CallStepKinds.Overflowed)?.Target;
        var messages = steps.Where(s => s.Kind == CallStepKinds.Voicemail && s.Target is not null).Select(s => s.Target!).ToList();
        return new CallFacts(r, category, toAnswer, firstOverflow < 0 ? null : OverflowReasons.Before(steps, firstOverflow),
            firstUrgent >= 0, takenBy, messages);
    }

    /// <summary>How long the caller stayed before hanging up: until the `abandoned` step, else the end of the call.</summary>
    public static TimeSpan? Waited(CallRecord r) =>
        (r.Steps.LastOrDefault(s => s.Kind == CallStepKinds.Abandoned)?.At ?? r.EndedAt) - r.StartedAt;

    private static CallCategory CategoryOf(CallRecord r, FiguresSettings settings) => r.Outcome switch
    {
        null => CallCategory.InProgress,
        CallOutcomes.Answered => CallCategory.Practice,
        CallOutcomes.Overflowed => CallCategory.Secretariat,
        CallOutcomes.Voicemail => CallCategory.Voicemail,
        CallOutcomes.Abandoned => Waited(r) < settings.AbandonAfter ? CallCategory.ShortHangUp : CallCategory.Abandoned,
        CallOutcomes.Refused => CallCategory.Refused,
        CallOutcomes.Interrupted => CallCategory.Interrupted,
        CallOutcomes.Fallback => CallCategory.Fallback,
        _ => CallCategory.Other,
    };

    /// <summary>
    /// The remote secretariat rung on overflow: the overflow step writes `ringing SECRETARIAT (overflow)`; a forward to a
    /// number (a doctor's mobile) goes through the same step with the target "forward" and is the practice's own.
    /// </summary>
    private static bool IsOverflowAttempt(CallStep s) =>
        (s.Kind == CallStepKinds.Ringing && s.Detail == "overflow" || s.Kind == CallStepKinds.Overflowed) && s.Target != "forward";

    private static int IndexOf(IReadOnlyList<CallStep> steps, Func<CallStep, bool> match)
    {
        for (var i = 0; i < steps.Count; i++)
            if (match(steps[i])) return i;
        return -1;
    }
}

/// <summary>Why a call went to the remote secretariat, read from the steps before it was rung (docs/figures.md "Overflow").</summary>
public static class OverflowReasons
{
    public const string RingTimeout = "ring-timeout", MaxWait = "max-wait", QueueFull = "queue-full", AllBusy = "all-busy",
        NoneRegistered = "none-registered", Urgent = "urgent", Other = "other";

    /// <summary>What each reason means, for people.</summary>
    public static string Describe(string reason) => reason switch
    {
        RingTimeout => "nobody answered in the ring time",
        MaxWait => "maximum wait reached",
        QueueFull => "queue full",
        AllBusy => "every reception phone busy",
        NoneRegistered => "no reception phone registered",
        Urgent => "urgent call nobody accepted",
        "open" => "open: the plan sends calls straight to the secretariat",
        "lunch" => "lunch break",
        "after-hours" => "after hours",
        "closed" => "closed",
        "holiday" => "public holiday",
        "closure" => "closure (holidays of the practice)",
        "mode" => "a mode was on",
        _ => "other",
    };

    // The queue's own `unanswered` steps (src/PbxRouter.Calls/Flows/Reception/QueueStep.cs), newest first wins.
    private static readonly (string Prefix, string Reason)[] QueueDetails =
    [
        ("nobody answered in ", RingTimeout), ("max wait ", MaxWait), ("queue full", QueueFull),
        ("every member is busy", AllBusy), ("no member available", NoneRegistered),
    ];

    internal static string Before(IReadOnlyList<CallStep> steps, int overflowIndex)
    {
        for (var i = overflowIndex - 1; i >= 0; i--)
        {
            var s = steps[i];
            if (s.Kind == CallStepKinds.Unanswered && s.Detail is { } detail)
                foreach (var (prefix, reason) in QueueDetails)
                    if (detail.StartsWith(prefix, StringComparison.Ordinal)) return reason;
            if (s.Kind == CallStepKinds.Escalated) return Urgent;
            // The plan went straight to the secretariat: the state the call came in (`entered`: "Lunch: lunch: ...").
            if (s.Kind == CallStepKinds.Entered)
                return s.Detail is { } entered && Enum.TryParse<PracticeState>(entered.Split(':')[0], out var state) && Enum.IsDefined(state)
                    ? StateKey(state) : Other;
        }
        return Other;
    }

    private static string StateKey(PracticeState state) => state switch
    {
        PracticeState.Open => "open", PracticeState.Lunch => "lunch", PracticeState.AfterHours => "after-hours",
        PracticeState.Closed => "closed", PracticeState.Holiday => "holiday", PracticeState.Closure => "closure",
        PracticeState.Mode => "mode", _ => Other,
    };
}
