namespace PbxRouter.Store;

/// <summary>The current mode of a practice (null = normal routing), who set it, how and when.</summary>
public sealed record PracticeMode(string PracticeId, string? Mode, string SetBy, string Via, DateTimeOffset SetAt);

/// <summary>One audited mode change of a practice, e.g. a doctor dialling *21 to switch to "absent".</summary>
public sealed record ModeChange(
    long Id, string PracticeId, string? PreviousMode, string? Mode, string SetBy, string Via, DateTimeOffset SetAt);
