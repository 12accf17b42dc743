using System.Text.Json;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Notifications;

/// <summary>
/// E-mail targets when no SMTP server is set (Notifications:Smtp:Host empty): each notification leaves the outbox as one
/// JSON file in Notifications:DropFolder (for a relay that reads files, and for tests), the caller always masked. No e-mail
/// is sent. Without a folder either, the entry fails and stays visible in `pbxrouter voicemail outbox`.
/// </summary>
public sealed class DropFolderSender(NotificationOptions options) : INotificationSender
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public bool Handles(NotificationKind kind) => kind == NotificationKind.Email && string.IsNullOrWhiteSpace(options.Smtp.Host);

    public async Task SendAsync(NotificationDelivery delivery, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(options.DropFolder))
            throw new PermanentNotificationException("no SMTP server (Notifications:Smtp:Host) and no Notifications:DropFolder: e-mail cannot be sent");
        Directory.CreateDirectory(options.DropFolder);
        var notice = delivery.Payload.Notice;
        var drop = new { kind = "email", target = delivery.Target, delivery = delivery.Id, notice = notice.Masked() };
        var path = Path.Combine(options.DropFolder, $"{notice.RecordedAt:yyyyMMddHHmmss}-{notice.MessageId}-{delivery.Id}.json");
        // Written aside then renamed, so a reader never sees half a file.
        await File.WriteAllTextAsync(path + ".tmp", JsonSerializer.Serialize(drop, Json), ct).ConfigureAwait(false);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
