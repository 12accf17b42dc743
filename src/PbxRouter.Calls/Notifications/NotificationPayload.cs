using System.Text.Json;
using System.Text.Json.Serialization;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Notifications;

/// <summary>
/// What the outbox keeps for one notification: the notice (the caller's number already as the box shows it: full, masked or
/// none), what the e-mail needs of the practice, and the target's own settings. Never the audio, never a secret.
/// </summary>
public sealed record NotificationPayload(
    [property: JsonPropertyName("notice")] VoicemailNotice Notice,
    [property: JsonPropertyName("practiceName")] string PracticeName,
    [property: JsonPropertyName("timeZone")] string TimeZone,
    [property: JsonPropertyName("caller")] CallerNumberShown Caller,
    [property: JsonPropertyName("audio")] EmailAudio Audio,
    [property: JsonPropertyName("secretEnv")] string? SecretEnv)
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) } };

    /// <summary>The payload of <paramref name="notice"/> for <paramref name="target"/>, its caller shown as the box says.</summary>
    public static NotificationPayload For(VoicemailNotice notice, Notification target, string practiceName, string timeZone)
    {
        var caller = target.Caller switch
        {
            CallerNumberShown.Full => notice.CallerNumber,
            CallerNumberShown.Hidden => null,
            _ => notice.CallerNumber is null ? null : PhoneNumberMask.Mask(notice.CallerNumber),
        };
        return new NotificationPayload(notice with { CallerNumber = caller }, practiceName, timeZone, target.Caller, target.Audio, target.SecretEnv);
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static NotificationPayload FromJson(string json) =>
        JsonSerializer.Deserialize<NotificationPayload>(json, Json) ?? throw new JsonException("empty notification payload");
}

/// <summary>One attempt to deliver an outbox entry: its id (sent along so receivers can drop duplicates), target and payload.</summary>
public sealed record NotificationDelivery(long Id, NotificationKind Kind, string Target, NotificationPayload Payload);

/// <summary>The target refused the notification for good (4xx, unknown recipient...): retrying would not help.</summary>
public sealed class PermanentNotificationException(string message, Exception? inner = null) : Exception(message, inner);
