using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Notifications;

/// <summary>
/// Sends the outbox's due entries: each is claimed (pending -> sending, one attempt counted), sent by the sender of its
/// kind, then marked sent, rescheduled with exponential backoff, or failed after <see cref="NotificationOptions.MaxAttempts"/>.
/// <see cref="RunAsync"/> is the engine's loop: it first puts back what a stopped engine left in `sending`, then sends
/// whatever is due, waking up for new entries, the next due time or every <see cref="NotificationOptions.PollEvery"/>.
/// </summary>
public sealed class NotificationDispatcher(
    NotificationOutboxRepository outbox, IEnumerable<INotificationSender> senders, NotificationOptions options, TimeProvider time,
    ILogger<NotificationDispatcher> logger)
{
    private const int Batch = 20;
    private readonly INotificationSender[] _senders = senders.ToArray();
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly Lock _releaseLock = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _release;

    /// <summary>The delay before the attempt after attempt number <paramref name="attempts"/>: RetryDelay × 2^(attempts-1), capped.</summary>
    public TimeSpan Backoff(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(options.RetryDelay.Ticks * factor, options.MaxRetryDelay.Ticks));
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    /// <summary>Asks the loop to look at the outbox now.</summary>
    public void Wake() => Volatile.Read(ref _wake).TrySetResult();

    /// <summary>Sends the due entries among <paramref name="ids"/> now (those another sender holds are left to it); tracked until done.</summary>
    public Task SendNowAsync(IReadOnlyCollection<long> ids) => Track(SendClaimedAsync(ids));

    /// <summary>One pass: claims and sends every due entry, batch after batch; returns how many were attempted.</summary>
    public Task<int> SendDueAsync(CancellationToken ct = default) => TrackResult(SendAllDueAsync(ct));

    /// <summary>Waits for every send started so far (tests, and a graceful stop).</summary>
    public Task DrainAsync() => Task.WhenAll(_inFlight.Keys);

    /// <summary>The engine's loop, until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _wake, wake);
            var delay = options.PollEvery;
            try
            {
                await SendDueAsync(ct).ConfigureAwait(false);
                if (await outbox.NextDueAsync(ct).ConfigureAwait(false) is { } next)
                    delay = TimeSpan.FromTicks(Math.Clamp((next - time.GetUtcNow()).Ticks, 0, options.PollEvery.Ticks));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError("Notification outbox: pass failed, next try in {Delay}: {Error}", options.PollEvery, e.Message);
            }
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            try
            {
                await Task.WhenAny(Task.Delay(delay, time, stop.Token), wake.Task).ConfigureAwait(false);
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends once, without the outbox (the store refused the write): no retry, nothing kept; failures are logged.</summary>
    public async Task SendWithoutOutboxAsync(NotificationDelivery delivery)
    {
        try
        {
            using var limit = new CancellationTokenSource(options.SendTimeout, time);
            await SenderFor(delivery.Kind).SendAsync(delivery, limit.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogError("Voicemail {MessageId}: {Kind} notification sent outside the outbox failed: {Error}",
                delivery.Payload.Notice.MessageId, delivery.Kind, e.Message);
        }
    }

    /// <summary>
    /// Before this dispatcher's first claim, once: entries a stopped engine left in `sending` become pending again. Never
    /// after a claim of its own, or it would put back an entry it is sending itself.
    /// </summary>
    private Task EnsureReleasedAsync()
    {
        lock (_releaseLock)
        {
            if (_release is null || _release.IsFaulted) _release = ReleaseAsync();
            return _release;
        }
    }

    private async Task ReleaseAsync()
    {
        var count = await outbox.ReleaseInterruptedAsync().ConfigureAwait(false);
        if (count > 0) logger.LogWarning("Notification outbox: {Count} notification(s) interrupted by the last stop will be sent again", count);
    }

    private async Task<int> SendAllDueAsync(CancellationToken ct)
    {
        await EnsureReleasedAsync().ConfigureAwait(false);
        var total = 0;
        while (!ct.IsCancellationRequested)
        {
            var claimed = await outbox.ClaimDueAsync(Batch, null, ct).ConfigureAwait(false);
            if (claimed.Count == 0) break;
            await Task.WhenAll(claimed.Select(SendOneAsync)).ConfigureAwait(false);
            total += claimed.Count;
        }
        return total;
    }

    private async Task SendClaimedAsync(IReadOnlyCollection<long> ids)
    {
        try
        {
            await EnsureReleasedAsync().ConfigureAwait(false);
            var claimed = await outbox.ClaimDueAsync(ids.Count, ids).ConfigureAwait(false);
            await Task.WhenAll(claimed.Select(SendOneAsync)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The entries stay pending in the outbox: the loop sends them.
            logger.LogError("Notification outbox: immediate send failed, the background loop will retry: {Error}", e.Message);
        }
    }

    private async Task SendOneAsync(OutboxEntry entry)
    {
        string? error;
        var permanent = false;
        try
        {
            var kind = entry.TargetKind == "webhook" ? NotificationKind.Webhook : NotificationKind.Email;
            var delivery = new NotificationDelivery(entry.Id, kind, entry.Target, NotificationPayload.FromJson(entry.Payload));
            // Not the call's token: a notification goes out even when the caller already hung up; each attempt has its limit.
            using var limit = new CancellationTokenSource(options.SendTimeout, time);
            await SenderFor(kind).SendAsync(delivery, limit.Token).ConfigureAwait(false);
            await outbox.MarkSentAsync(entry.Id).ConfigureAwait(false);
            logger.LogInformation("Voicemail {MessageId} in box {Box}: {Kind} notification {Id} sent (attempt {Attempt})",
                entry.MessageId, entry.Box, entry.TargetKind, entry.Id, entry.Attempts);
            return;
        }
        catch (PermanentNotificationException e)
        {
            (error, permanent) = (e.Message, true);
        }
        catch (OperationCanceledException)
        {
            error = $"no answer within {options.SendTimeout}";
        }
        catch (Exception e)
        {
            error = e.Message;
        }
        var retryAt = permanent || entry.Attempts >= options.MaxAttempts ? (DateTimeOffset?)null : time.GetUtcNow() + Backoff(entry.Attempts);
        try
        {
            await outbox.MarkAttemptFailedAsync(entry.Id, error, retryAt).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            logger.LogError("Notification outbox: entry {Id} stays in sending until the next start: {Error}", entry.Id, e.Message);
        }
        if (retryAt is { } at)
            logger.LogWarning("Voicemail {MessageId} in box {Box}: {Kind} notification {Id}, attempt {Attempt} failed ({Error}); next at {At:u}",
                entry.MessageId, entry.Box, entry.TargetKind, entry.Id, entry.Attempts, error, at);
        else
            logger.LogError("Voicemail {MessageId} in box {Box}: {Kind} notification {Id} FAILED after {Attempt} attempt(s): {Error} (see `pbxrouter voicemail outbox`)",
                entry.MessageId, entry.Box, entry.TargetKind, entry.Id, entry.Attempts, error);
    }

    private INotificationSender SenderFor(NotificationKind kind) =>
        _senders.FirstOrDefault(s => s.Handles(kind)) ?? throw new PermanentNotificationException($"no sender for {kind} notifications in this engine");

    private Task Track(Task task)
    {
        _inFlight.TryAdd(task, 0);
        _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
        return task;
    }

    private Task<int> TrackResult(Task<int> task)
    {
        Track(task);
        return task;
    }
}
