using NodaTime;

namespace PbxRouter.Routing;

/// <summary>Where a call goes and why: the practice, its state at the time of the call, and the ordered steps.</summary>
public sealed record CallPlan
{
    public string? PracticeId { get; init; }
    public string? PracticeName { get; init; }
    /// <summary>The direct line called inside the practice, if any.</summary>
    public string? LineId { get; init; }
    public required PracticeState PracticeState { get; init; }
    /// <summary>Human explanation, e.g. "closed: Christmas Day, French public holiday".</summary>
    public required string Reason { get; init; }
    /// <summary>The active mode when <see cref="PracticeState"/> is Mode.</summary>
    public string? Mode { get; init; }
    /// <summary>The time of the call in the practice's zone, as the rules saw it.</summary>
    public LocalDateTime? LocalTime { get; init; }
    public string? TimeZone { get; init; }
    /// <summary>The VIP name when the caller is on the VIP list.</summary>
    public string? Vip { get; init; }
    public required IReadOnlyList<PlanStep> Steps { get; init; }
    /// <summary>What happens when the caller presses the urgent key during the queue (empty when not offered).</summary>
    public IReadOnlyList<PlanStep> UrgentSteps { get; init; } = [];

    /// <summary>The key that switches to <see cref="UrgentSteps"/> (the queue's), or null when the plan offers none.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? UrgentKey => UrgentSteps.Count > 0 ? Steps.OfType<Queue>().FirstOrDefault()?.UrgentKey : null;
}

/// <summary>An incoming call to route: the number called, the caller, and the instant (no clock is read).</summary>
public sealed record CallRequest(string CalledNumber, string CallerNumber, Instant At);

/// <summary>
/// What staff switched at runtime, per practice: the active mode (a named mode of the rules, switched with *21, *28...) or a
/// forward of every patient call to a number (GSM-style <c>*21*NUMBER#</c>), never both; and which phone switched it.
/// </summary>
public sealed record RuntimeState(IReadOnlyDictionary<string, string> ActiveModes)
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    /// <summary>Practice id to the phone id that activated its mode or forward (used by "forward to my mobile").</summary>
    public IReadOnlyDictionary<string, string> ActivatedBy { get; init; } = Empty;

    /// <summary>Practice id to the number (E.164) its patient calls are forwarded to (<c>*21*NUMBER#</c>); a practice here has no mode.</summary>
    public IReadOnlyDictionary<string, string> ForwardedTo { get; init; } = Empty;

    /// <summary>No mode active anywhere.</summary>
    public static RuntimeState None { get; } = new(Empty);

    /// <summary>A copy with <paramref name="mode"/> active for <paramref name="practiceId"/> (null clears it, and any forward to a number).</summary>
    public RuntimeState WithMode(string practiceId, string? mode, string? activatedBy = null) => With(practiceId, mode, null, activatedBy);

    /// <summary>A copy where <paramref name="practiceId"/>'s patient calls are forwarded to <paramref name="number"/> (E.164), replacing its mode.</summary>
    public RuntimeState WithForward(string practiceId, string number, string? activatedBy = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        return With(practiceId, null, number, activatedBy);
    }

    private RuntimeState With(string practiceId, string? mode, string? forwardTo, string? activatedBy)
    {
        var modes = new Dictionary<string, string>(ActiveModes);
        var by = new Dictionary<string, string>(ActivatedBy);
        var forwards = new Dictionary<string, string>(ForwardedTo);
        modes.Remove(practiceId);
        by.Remove(practiceId);
        forwards.Remove(practiceId);
        if (mode is not null) modes[practiceId] = mode;
        if (forwardTo is not null) forwards[practiceId] = forwardTo;
        if ((mode ?? forwardTo) is not null && activatedBy is not null) by[practiceId] = activatedBy;
        return new RuntimeState(modes) { ActivatedBy = by, ForwardedTo = forwards };
    }
}
