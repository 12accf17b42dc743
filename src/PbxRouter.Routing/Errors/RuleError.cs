namespace PbxRouter.Routing;

/// <summary>A mistake (or a warning) found in a rules file, with the exact place and how to fix it.</summary>
/// <param name="File">The file as given to the compiler (RulesFile.Path).</param>
/// <param name="Line">1-based line of the offending node.</param>
/// <param name="Column">1-based column of the offending node.</param>
/// <param name="Field">Path of the field, e.g. <c>practices[0].queue.members[1]</c>.</param>
/// <param name="Message">What is wrong, in plain words.</param>
/// <param name="Hint">How to fix it, when we can tell.</param>
/// <param name="Code">Stable kebab-case identifier (see <see cref="RuleErrorCodes"/>).</param>
public sealed record RuleError(string File, int Line, int Column, string Field, string Message, string? Hint, string Code)
{
    /// <summary>Compiler-style one-liner: <c>file:line:col: field: message (hint) [code]</c>.</summary>
    public override string ToString() =>
        $"{File}:{Line}:{Column}: {Field}: {Message}{(Hint is null ? "" : $" Hint: {Hint}")} [{Code}]";
}

/// <summary>The stable codes carried by <see cref="RuleError.Code"/>.</summary>
public static class RuleErrorCodes
{
    public const string YamlSyntax = "yaml-syntax";
    public const string TooLarge = "too-large";
    public const string UnknownField = "unknown-field";
    public const string WrongType = "wrong-type";
    public const string MissingField = "missing-field";
    public const string InvalidValue = "invalid-value";
    public const string UnavailableTransport = "unavailable-transport";
    public const string UnroutableRegistration = "unroutable-registration";
    public const string SecretInYaml = "secret-in-yaml";
    public const string DuplicateId = "duplicate-id";
    public const string UnknownReference = "unknown-reference";
    public const string InvalidNumber = "invalid-number";
    public const string DuplicateNumber = "duplicate-number";
    public const string InvertedTimeRange = "inverted-time-range";
    public const string OverlappingTimeRange = "overlapping-time-range";
    public const string InvalidTimeZone = "invalid-time-zone";
    public const string CalendarTimeZone = "calendar-time-zone";
    public const string FeatureCodeCollision = "feature-code-collision";
    public const string FeatureCodePrefix = "feature-code-prefix";
    public const string Unreachable = "unreachable";
    public const string EmptyEscalation = "empty-escalation";
    public const string MissingEmergencyMessage = "missing-emergency-message";
    public const string MissingOnCallMessage = "missing-on-call-message";
    public const string DeadEnd = "dead-end";
    public const string EndsWithNobody = "ends-with-nobody";
    public const string Suspicious = "suspicious";
    public const string UnsignedWebhook = "unsigned-webhook";
    public const string MissingAudio = "missing-audio";
}
