namespace PbxRouter.Routing.Model;

/// <summary>A named mode toggled by feature codes (e.g. all-to-secretariat), with its own steps.</summary>
public sealed record Mode
{
    public required Located<string> Id { get; init; }
    public string? Name { get; init; }
    public required IReadOnlyList<StepRule> Steps { get; init; }
    /// <summary>States in which the mode applies; null means always.</summary>
    public IReadOnlySet<PracticeState>? During { get; init; }
    /// <summary>Lines the mode applies to ("main" = the practice's own numbers); null means all of them.</summary>
    public IReadOnlyList<Located<string>>? Lines { get; init; }
    public required SourceLocation At { get; init; }
}

/// <summary>What happens in one state (open, lunch, closed...): an ordered list of steps.</summary>
public sealed record StateRoute(PracticeState State, IReadOnlyList<StepRule> Steps, SourceLocation At);

/// <summary>One step as written in the YAML (e.g. <c>queue</c>, <c>announce: closed</c>, <c>voicemail: tilleuls</c>).</summary>
public sealed record StepRule(StepKind Kind, string? Argument, SourceLocation At);

/// <summary>The kinds of step a route can contain.</summary>
public enum StepKind { Greeting, Queue, Overflow, Escalate, Announce, Voicemail, Forward, Hangup }

/// <summary>Feature codes dialled from the practice's phones, and who may use them without a PIN.</summary>
public sealed record FeatureCodes
{
    public Located<string>? PinEnv { get; init; }
    public IReadOnlyList<Located<string>> WithoutPin { get; init; } = [];
    public required IReadOnlyList<FeatureCode> Codes { get; init; }
    public required SourceLocation At { get; init; }
}

/// <summary>One feature code (e.g. *21 activates all-to-secretariat).</summary>
public sealed record FeatureCode
{
    public required Located<string> Code { get; init; }
    public required FeatureAction Action { get; init; }
    /// <summary>The mode (activate/toggle/cancel) or voicemail box the code acts on; null for "cancel any mode".</summary>
    public Located<string>? Target { get; init; }
    /// <summary>Overrides the practice-wide list of phones allowed without PIN.</summary>
    public IReadOnlyList<Located<string>>? WithoutPin { get; init; }
    public required SourceLocation At { get; init; }
}

/// <summary>
/// What a feature code does. The rules write the first four; <see cref="ForwardToNumber"/> (<c>*21*NUMBER#</c>) and
/// <see cref="Status"/> (<c>*#21#</c>) are the built-in GSM forms (FeatureCodeDecision), never written in YAML.
/// </summary>
public enum FeatureAction { Activate, Toggle, Cancel, Voicemail, ForwardToNumber, Status }
