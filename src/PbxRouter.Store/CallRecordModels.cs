namespace PbxRouter.Store;

/// <summary>
/// What is known when a call enters the engine. CallerNumber is stored as given (the CLI may mask it), also when the
/// caller withheld it (CallerWithheld: the number came in P-Asserted-Identity with Privacy: id, or From was anonymous).
/// </summary>
public sealed record CallRecordStart(
    string CallId,
    DateTimeOffset StartedAt,
    string? PracticeId,
    string CalledNumber,
    string? CallerNumber,
    int RulesVersion,
    bool CallerWithheld = false);

/// <summary>One step of a call, numbered from 1 in the order it was written.</summary>
public sealed record CallStep(int Sequence, DateTimeOffset At, string Kind, string? Target, string? Detail);

/// <summary>A call with its outcome (null while in progress) and its steps in order.</summary>
public sealed record CallRecord(
    string CallId,
    DateTimeOffset StartedAt,
    string? PracticeId,
    string CalledNumber,
    string? CallerNumber,
    int RulesVersion,
    DateTimeOffset? EndedAt,
    string? Outcome,
    string? AnsweredBy,
    string? HungUpBy,
    IReadOnlyList<CallStep> Steps,
    bool CallerWithheld = false)
{
    /// <summary>The phone the call was last transferred to (its last <see cref="CallStepKinds.Transferred"/> step), if any.</summary>
    public string? TransferredTo => Steps.LastOrDefault(s => s.Kind == CallStepKinds.Transferred)?.Target;
}

/// <summary>The step kinds a call record accepts.</summary>
public static class CallStepKinds
{
    public const string Entered = "entered", Greeting = "greeting", Queued = "queued", Ringing = "ringing",
        Answered = "answered", Overflowed = "overflowed", Escalated = "escalated", Voicemail = "voicemail",
        Abandoned = "abandoned", HungUp = "hungup", Fallback = "fallback", Error = "error",
        Announced = "announced", Unanswered = "unanswered", Refused = "refused", Skipped = "skipped",
        Dropped = "dropped", Resumed = "resumed", Transferred = "transferred", TransferFailed = "transfer-failed";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Entered, Greeting, Queued, Ringing, Answered, Overflowed, Escalated, Voicemail, Abandoned, HungUp, Fallback, Error,
        Announced, Unanswered, Refused, Skipped, Dropped, Resumed, Transferred, TransferFailed,
    };

    internal static void Validate(string kind)
    {
        if (!All.Contains(kind))
            throw new ArgumentException($"unknown call step kind '{kind}'; known: {string.Join(", ", All)}", nameof(kind));
    }
}

/// <summary>The outcomes a finished call can have.</summary>
public static class CallOutcomes
{
    public const string Answered = "answered", Overflowed = "overflowed", Voicemail = "voicemail",
        Abandoned = "abandoned", Refused = "refused", Failed = "failed", Fallback = "fallback", HungUp = "hungup",
        // The engine stopped (crash, kill) before the call ended, and the call ended while no engine ran: the dialplan's
        // fallback route (secretariat, then voicemail) took it, or the caller hung up. Set by the next engine at start.
        Interrupted = "interrupted",
        // A call from a practice's phone that nobody took (busy, no answer, unreachable).
        Unanswered = "unanswered";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Answered, Overflowed, Voicemail, Abandoned, Refused, Failed, Fallback, HungUp, Interrupted, Unanswered,
    };

    internal static void Validate(string outcome)
    {
        if (!All.Contains(outcome))
            throw new ArgumentException($"unknown call outcome '{outcome}'; known: {string.Join(", ", All)}", nameof(outcome));
    }
}
