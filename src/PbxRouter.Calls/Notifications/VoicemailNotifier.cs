using Microsoft.Extensions.Logging;
using PbxRouter.Calls.Rules;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Notifications;

/// <summary>
/// Tells a box's targets about a new message through the durable outbox: every notification is written to SQLite first,
/// then sent at once; an urgent box's flow waits for it (bounded by Notifications:UrgentWait), others do not. Failed
/// attempts are retried by the dispatcher's loop, also after a restart.
/// </summary>
public sealed class VoicemailNotifier(
    NotificationOutboxRepository outbox, NotificationDispatcher dispatcher, NotificationOptions options, ILogger<VoicemailNotifier> logger,
    ActiveRules? rules = null)
{
    /// <summary>Writes one outbox entry per target and starts sending them; never throws for a failed delivery (it is logged and retried).</summary>
    public async Task NotifyAsync(VoicemailNotice notice, IReadOnlyList<Notification> targets, CancellationToken ct)
    {
        if (targets.Count == 0) return;
        var (practiceName, timeZone) = Practice(notice.PracticeId);
        var payloads = targets.Select(t => (Target: t, Payload: NotificationPayload.For(notice, t, practiceName, timeZone))).ToList();
        IReadOnlyList<long> ids;
        try
        {
            ids = await outbox.EnqueueAsync(payloads.Select(p => new NewOutboxEntry(notice.MessageId, notice.PracticeId, notice.Box, notice.Urgent,
                p.Target.Kind == NotificationKind.Webhook ? "webhook" : "email", p.Target.Target, p.Payload.ToJson())).ToList(), ct).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            // The store refuses writes (locked, full disk): tell the targets once anyway rather than not at all.
            logger.LogError("Voicemail {MessageId}: notifications not written to the outbox ({Error}); sending them once without it",
                notice.MessageId, e.Message);
            var direct = Task.WhenAll(payloads.Select(p => dispatcher.SendWithoutOutboxAsync(
                new NotificationDelivery(0, p.Target.Kind, p.Target.Target, p.Payload))));
            if (notice.Urgent) await WaitBoundedAsync(direct, notice, ct).ConfigureAwait(false);
            return;
        }
        var sending = dispatcher.SendNowAsync(ids);
        if (!notice.Urgent) return; // the caller's flow does not wait for a normal message's notifications
        await WaitBoundedAsync(sending, notice, ct).ConfigureAwait(false);
    }

    private async Task WaitBoundedAsync(Task sending, VoicemailNotice notice, CancellationToken ct)
    {
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

    private (string Name, string TimeZone) Practice(string practiceId)
    {
        var practice = rules?.Current?.Model.Practices.FirstOrDefault(p => p.Id.Value == practiceId);
        return practice is null ? (practiceId, "Europe/Paris") : (practice.Name, practice.TimeZone.Value);
    }
}
