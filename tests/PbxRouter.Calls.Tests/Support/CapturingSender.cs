using System.Collections.Concurrent;
using PbxRouter.Calls.Notifications;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Tests.Support;

/// <summary>A notification sender that keeps what it was asked to send; can be told to fail.</summary>
internal sealed class CapturingSender(bool fail = false) : INotificationSender
{
    public ConcurrentQueue<(VoicemailNotice Notice, Notification Target)> Sent { get; } = new();

    public bool Handles(Notification target) => true;

    public Task SendAsync(VoicemailNotice notice, Notification target, CancellationToken ct)
    {
        Sent.Enqueue((notice, target));
        return fail ? Task.FromException(new HttpRequestException("down")) : Task.CompletedTask;
    }
}
