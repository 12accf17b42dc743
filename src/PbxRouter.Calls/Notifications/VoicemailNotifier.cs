using Microsoft.Extensions.Logging;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Notifications;

/// <summary>Tells a box's targets about a new message: urgent boxes at once (the flow waits, bounded), others in the background.</summary>
public sealed class VoicemailNotifier(IEnumerable<INotificationSender> senders, NotificationOptions options, ILogger<VoicemailNotifier> logger)
{
    private readonly INotificationSender[] _senders = senders.ToArray();

    /// <summary>Sends to every target; never throws for a failed delivery (it is logged).</summary>
    public async Task NotifyAsync(VoicemailNotice notice, IReadOnlyList<Notification> targets, CancellationToken ct)
    {
        var sending = Task.WhenAll(targets.SelectMany(t => _senders.Where(s => s.Handles(t)).Select(s => SendOneAsync(s, notice, t))));
        if (!notice.Urgent) return; // background: the caller's flow does not wait for a normal message's notifications
        try
        {
            await sending.WaitAsync(options.UrgentWait, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Urgent voicemail {MessageId}: notifications still running after {Wait}; continuing in the background",
                notice.MessageId, options.UrgentWait);
        }
    }

    private async Task SendOneAsync(INotificationSender sender, VoicemailNotice notice, Notification target)
    {
        try
        {
            // Not the call's token: a notification must go out even if the caller already hung up.
            await sender.SendAsync(notice, target, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogError("Voicemail {MessageId} in box {Box}: {Kind} notification failed: {Error}",
                notice.MessageId, notice.Box, target.Kind, ex.Message);
        }
    }
}
