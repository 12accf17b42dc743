namespace PbxRouter.Store;

/// <summary>
/// The current mode of a practice (null = normal routing), who set it, how and when. <see cref="ForwardTo"/>: instead of a
/// mode, every patient call is forwarded to that number (E.164, GSM-style *21*NUMBER#); a practice has one or the other.
/// </summary>
public sealed record PracticeMode(string PracticeId, string? Mode, string SetBy, string Via, DateTimeOffset SetAt)
{
    public string? ForwardTo { get; init; }
}

/// <summary>One audited mode change of a practice, e.g. a doctor dialling *21 to switch to "absent", or *21*NUMBER# to forward.</summary>
public sealed record ModeChange(
    long Id, string PracticeId, string? PreviousMode, string? Mode, string SetBy, string Via, DateTimeOffset SetAt)
{
    public string? PreviousForwardTo { get; init; }
    public string? ForwardTo { get; init; }
}
