using System.Text.Json.Serialization;

namespace PbxRouter.Calls.Notifications;

/// <summary>What a notification says about a new voicemail: ids, box and duration; the audio never travels in it.</summary>
public sealed record VoicemailNotice(
    [property: JsonPropertyName("messageId")] string MessageId,
    [property: JsonPropertyName("practiceId")] string PracticeId,
    [property: JsonPropertyName("box")] string Box,
    [property: JsonPropertyName("urgent")] bool Urgent,
    [property: JsonPropertyName("callerNumber")] string? CallerNumber,
    [property: JsonPropertyName("recordedAt")] DateTimeOffset RecordedAt,
    [property: JsonPropertyName("durationSeconds")] int DurationSeconds,
    [property: JsonPropertyName("callId")] string? CallId)
{
    /// <summary>The same notice with the caller's number masked, for places that are not the practice's own channel.</summary>
    public VoicemailNotice Masked() => this with { CallerNumber = PhoneNumberMask.Mask(CallerNumber) };
}
