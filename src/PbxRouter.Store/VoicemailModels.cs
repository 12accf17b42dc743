namespace PbxRouter.Store;

/// <summary>A voicemail message indexed by the store; the audio itself lives under RecordingName on disk.</summary>
public sealed record VoicemailMessage(
    string Id,
    string Box,
    string PracticeId,
    string? CallerNumber,
    DateTimeOffset RecordedAt,
    int DurationSeconds,
    string RecordingName,
    bool Urgent,
    string? CallId,
    DateTimeOffset? ListenedAt = null,
    string? ListenedBy = null);

/// <summary>One audited access to a voicemail (RGPD trail): listened, deleted or purged by retention.</summary>
public sealed record VoicemailAccess(long Id, string VoicemailId, string Box, string Action, string By, DateTimeOffset At);
