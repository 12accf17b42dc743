namespace PbxRouter.Store;

/// <summary>A row of <c>voicemails</c> as Dapper reads it (SELECT <see cref="Columns"/>), and the message it is.</summary>
internal sealed class VoicemailMessageRow
{
    public const string Columns = """
        id AS Id, box AS Box, practice_id AS PracticeId, caller_number AS CallerNumber, recorded_at AS RecordedAt,
        duration_s AS DurationSeconds, recording_name AS RecordingName, urgent AS Urgent, call_id AS CallId,
        listened_at AS ListenedAt, listened_by AS ListenedBy
        """;

    public string Id { get; set; } = "";
    public string Box { get; set; } = "";
    public string PracticeId { get; set; } = "";
    public string? CallerNumber { get; set; }
    public string RecordedAt { get; set; } = "";
    public long DurationSeconds { get; set; }
    public string RecordingName { get; set; } = "";
    public long Urgent { get; set; }
    public string? CallId { get; set; }
    public string? ListenedAt { get; set; }
    public string? ListenedBy { get; set; }

    public VoicemailMessage ToMessage() => new(Id, Box, PracticeId, CallerNumber, StoreTime.Parse(RecordedAt),
        (int)DurationSeconds, RecordingName, Urgent != 0, CallId, StoreTime.ParseOrNull(ListenedAt), ListenedBy);
}
