namespace PbxRouter.Store;

/// <summary>One YAML rules file as the IT staff wrote it.</summary>
public sealed record RulesSourceFile(string Path, string Text);

/// <summary>A validated rules set to store as a new version: its sources, compiled form and who applied it.</summary>
public sealed record RulesApplication(
    IReadOnlyList<RulesSourceFile> Files,
    string CompiledJson,
    string ContentHash,
    string AppliedBy,
    string? Comment);

/// <summary>One numbered rules version; <see cref="Unchanged"/> says an apply found the same content already active.</summary>
public sealed record RulesVersion(
    int Number,
    DateTimeOffset AppliedAt,
    string AppliedBy,
    string ContentHash,
    string? Comment,
    int SourceCount,
    bool IsActive,
    bool Unchanged = false);

/// <summary>A rules version with its source files (in applied order) and compiled JSON.</summary>
public sealed record StoredRules(RulesVersion Version, IReadOnlyList<RulesSourceFile> Files, string CompiledJson);
