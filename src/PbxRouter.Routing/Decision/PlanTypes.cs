namespace PbxRouter.Routing;

/// <summary>The state a practice is in at the time of a call, or why no practice state applies.</summary>
/// <remarks><see cref="Forwarded"/>: staff forwarded every patient call of the practice to a number (<c>*21*NUMBER#</c>).</remarks>
public enum PracticeState { Open, Lunch, AfterHours, Closed, Holiday, Closure, Mode, UnknownNumber, Blocked, Forwarded }

/// <summary>How a queue rings its members.</summary>
public enum QueueStrategy { RingAll, RoundRobin, LeastRecent }

/// <summary>How a VIP caller is routed.</summary>
public enum VipRoute
{
    /// <summary>Straight to the reception queue, skipping the greeting, then the usual steps.</summary>
    Queue,
    /// <summary>Straight to the urgent escalation chain.</summary>
    Escalation,
}

/// <summary>How someone is told about a new voicemail.</summary>
public enum NotificationKind { Email, Webhook }

/// <summary>A voicemail notification target.</summary>
public sealed record Notification(NotificationKind Kind, string Target);

/// <summary>A remote secretariat as dialled on overflow, with the headers it needs to know the practice.</summary>
public sealed record OverflowTarget(
    string SecretariatId, string? Name, string Destination, string? Trunk, bool Diversion, bool HistoryInfo,
    IReadOnlyDictionary<string, string> Headers);

/// <summary>One mobile in the escalation chain.</summary>
public sealed record EscalationContact(string? Name, string Number, TimeSpan RingTime);
