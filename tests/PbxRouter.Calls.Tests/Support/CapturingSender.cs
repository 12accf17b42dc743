using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Calls.Notifications;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Support;

/// <summary>A notification sender that keeps what it was asked to send; can be told to fail.</summary>
internal sealed class CapturingSender(bool fail = false) : INotificationSender
{
    public ConcurrentQueue<(VoicemailNotice Notice, Notification Target)> Sent { get; } = new();
    public ConcurrentQueue<NotificationDelivery> Deliveries { get; } = new();

    /// <summary>Fails while true (then delivers).</summary>
    public bool Failing { get; set; } = fail;

    public bool Handles(NotificationKind kind) => true;

    public Task SendAsync(NotificationDelivery delivery, CancellationToken ct)
    {
        Deliveries.Enqueue(delivery);
        Sent.Enqueue((delivery.Payload.Notice, new Notification(delivery.Kind, delivery.Target)));
        return Failing ? Task.FromException(new HttpRequestException("down")) : Task.CompletedTask;
    }
}

/// <summary>A notifier over a real outbox in <paramref name="db"/>, sending with <paramref name="senders"/>.</summary>
internal static class TestNotifier
{
    public static (VoicemailNotifier Notifier, NotificationDispatcher Dispatcher) Create(
        StoreDatabase db, NotificationOptions? options = null, TimeProvider? time = null, params INotificationSender[] senders)
    {
        options ??= new NotificationOptions();
        time ??= TimeProvider.System;
        var outbox = new NotificationOutboxRepository(db, time);
        var dispatcher = new NotificationDispatcher(outbox, senders, options, time, NullLogger<NotificationDispatcher>.Instance);
        return (new VoicemailNotifier(outbox, dispatcher, options, NullLogger<VoicemailNotifier>.Instance), dispatcher);
    }
}
