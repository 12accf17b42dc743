namespace PbxRouter.Store;

/// <summary>Where a notification stands in the outbox: waiting (maybe for a retry), being sent, delivered, or given up.</summary>
public static class OutboxStates
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";

    public static readonly string[] All = [Pending, Sending, Sent, Failed];
}

/// <summary>A notification to write into the outbox: one message for one target; the payload is the sender's JSON.</summary>
public sealed record NewOutboxEntry(
    string MessageId, string PracticeId, string Box, bool Urgent, string TargetKind, string Target, string Payload);

/// <summary>One notification of the outbox, with its delivery history.</summary>
public sealed record OutboxEntry(
    long Id,
    string MessageId,
    string PracticeId,
    string Box,
    bool Urgent,
    string TargetKind,
    string Target,
    string Payload,
    string State,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? SentAt);
