using PbxRouter.Routing;

namespace PbxRouter.Calls.Notifications;

/// <summary>Delivers one kind of voicemail notification (webhook, SMTP e-mail, drop folder); one attempt per call.</summary>
public interface INotificationSender
{
    bool Handles(NotificationKind kind);

    /// <summary>
    /// One attempt; throws when it failed: <see cref="PermanentNotificationException"/> when retrying cannot help,
    /// anything else is retried by the outbox with backoff.
    /// </summary>
    Task SendAsync(NotificationDelivery delivery, CancellationToken ct);
}
