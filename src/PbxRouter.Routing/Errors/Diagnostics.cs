namespace PbxRouter.Routing;

/// <summary>Collects errors and warnings while reading and checking rules.</summary>
internal sealed class Diagnostics
{
    public List<RuleError> Errors { get; } = [];
    public List<RuleError> Warnings { get; } = [];

    public void Error(SourceLocation at, string code, string message, string? hint = null) =>
        Errors.Add(new RuleError(at.File, at.Line, at.Column, at.Field, message, hint, code));

    public void Warn(SourceLocation at, string code, string message, string? hint = null) =>
        Warnings.Add(new RuleError(at.File, at.Line, at.Column, at.Field, message, hint, code));
}
