using PbxRouter.Routing;

namespace PbxRouter.Calls.Notifications;

/// <summary>Sends one kind of voicemail notification (webhook, file drop...).</summary>
public interface INotificationSender
{
    bool Handles(Notification target);

    /// <summary>Sends the notice to the target; throws when it could not be delivered after its own retries.</summary>
    Task SendAsync(VoicemailNotice notice, Notification target, CancellationToken ct);
}
