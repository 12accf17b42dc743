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

/// <summary>A voicemail notification target, with its box's caller setting and its own delivery settings.</summary>
public sealed record Notification(NotificationKind Kind, string Target)
{
    /// <summary>How the caller's number appears (the box's `caller_number`).</summary>
    public CallerNumberShown Caller { get; init; } = CallerNumberShown.Masked;

    /// <summary>E-mail only: the audio attached or a link to it (`audio`).</summary>
    public EmailAudio Audio { get; init; } = EmailAudio.Attach;

    /// <summary>Webhook only: the environment variable holding the signing secret (`secret_env`).</summary>
    public string? SecretEnv { get; init; }
}

/// <summary>How a box's notifications show the caller's number.</summary>
public enum CallerNumberShown
{
    /// <summary>Operator prefix and last two digits (06 12 ** ** 78).</summary>
    Masked,
    /// <summary>The whole number, so the practice can call back.</summary>
    Full,
    /// <summary>No number at all.</summary>
    Hidden,
}

/// <summary>How an e-mail notification carries the message's audio.</summary>
public enum EmailAudio
{
    /// <summary>The WAV attached to the e-mail.</summary>
    Attach,
    /// <summary>A link built from the engine's `Notifications:Email:AudioLink` setting; no audio in the e-mail.</summary>
    Link,
}

/// <summary>A remote secretariat as dialled on overflow, with the headers it needs to know the practice.</summary>
public sealed record OverflowTarget(
    string SecretariatId, string? Name, string Destination, string? Trunk, bool Diversion, bool HistoryInfo,
    IReadOnlyDictionary<string, string> Headers);

/// <summary>One mobile in the escalation chain.</summary>
public sealed record EscalationContact(string? Name, string Number, TimeSpan RingTime);
