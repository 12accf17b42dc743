using System.Text.Json;
using Microsoft.Extensions.Logging;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Notifications;

/// <summary>
/// Drops each notification as a JSON file (an outbox for e-mail relays, and what tests read); without a folder it only logs.
/// The caller's number is masked here: a drop folder is not the practice's own channel.
/// </summary>
public sealed class DropFolderSender(NotificationOptions options, ILogger<DropFolderSender> logger) : INotificationSender
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public bool Handles(Notification target) => target.Kind != NotificationKind.Webhook || options.DropWebhooks;

    public async Task SendAsync(VoicemailNotice notice, Notification target, CancellationToken ct)
    {
        logger.LogInformation("Voicemail {MessageId} in box {Box} ({Urgency}) notified to {Kind} target",
            notice.MessageId, notice.Box, notice.Urgent ? "urgent" : "normal", target.Kind);
        if (string.IsNullOrEmpty(options.DropFolder)) return;
        Directory.CreateDirectory(options.DropFolder);
        var drop = new { kind = target.Kind.ToString().ToLowerInvariant(), target = target.Target, notice = notice.Masked() };
        var name = $"{notice.RecordedAt:yyyyMMddHHmmss}-{notice.MessageId}-{target.Kind.ToString().ToLowerInvariant()}.json";
        var path = Path.Combine(options.DropFolder, name);
        // Written aside then renamed, so a reader never sees half a file.
        await File.WriteAllTextAsync(path + ".tmp", JsonSerializer.Serialize(drop, Json), ct).ConfigureAwait(false);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
