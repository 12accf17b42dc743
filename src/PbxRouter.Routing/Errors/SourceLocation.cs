namespace PbxRouter.Routing;

/// <summary>Where a value was written: file, 1-based line and column, and the field path.</summary>
public sealed record SourceLocation(string File, int Line, int Column, string Field)
{
    /// <summary>Short "file:line:column" form used inside messages that point at another place.</summary>
    public string Short => $"{File}:{Line}:{Column}";
}

/// <summary>A value read from YAML together with where it was written.</summary>
public readonly record struct Located<T>(T Value, SourceLocation At)
{
    /// <inheritdoc/>
    public override string ToString() => Value?.ToString() ?? "";
}
