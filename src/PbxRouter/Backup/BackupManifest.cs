using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;

namespace PbxRouter.Backup;

/// <summary>One file of a backup: its path inside the backup folder, size, SHA-256 and Unix mode ("0600").</summary>
public sealed record BackedUpFile(string Path, long Size, string Sha256, string Mode);

/// <summary>
/// manifest.json of a backup folder: what pbxrouter wrote it, the database's schema version, and every file with its size,
/// SHA-256 and mode, so that restore can check the backup before it writes anything.
/// </summary>
public sealed record BackupManifest(string Format, string PbxRouterVersion, int SchemaVersion, DateTimeOffset CreatedAt, string Database,
    IReadOnlyDictionary<string, string> FolderModes, IReadOnlyList<BackedUpFile> Files)
{
    public const string FileName = "manifest.json";
    public const string DatabaseEntry = "database/pbxrouter.db";
    public const string FormatName = "pbxrouter-backup/1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string Version =>
        typeof(BackupManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(BackupManifest).Assembly.GetName().Version?.ToString() ?? "unknown";

    public int CountUnder(string folder) => Files.Count(f => f.Path.StartsWith(folder + "/", StringComparison.Ordinal));

    /// <summary>Whether the backup holds the voicemail (or prompts) folder, even an empty one.</summary>
    public bool Holds(string folder) => CountUnder(folder) > 0 || FolderModes.ContainsKey(folder);

    public async Task WriteAsync(string backupFolder, CancellationToken ct)
    {
        var path = Path.Combine(backupFolder, FileName);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, Json), ct);
        FileModes.Set(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>The manifest of a backup folder, or why there is none.</summary>
    public static async Task<(BackupManifest? Manifest, string? Problem)> ReadAsync(string backupFolder, CancellationToken ct)
    {
        var path = Path.Combine(backupFolder, FileName);
        if (!File.Exists(path)) return (null, $"{path} does not exist: {backupFolder} is not a backup of `pbxrouter backup`");
        BackupManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(path, ct), Json); }
        catch (JsonException ex) { return (null, $"{path} is not a valid manifest: {ex.Message}"); }
        if (manifest is null || manifest.Format != FormatName || manifest.Files is null || manifest.FolderModes is null)
            return (null, $"{path} is not a manifest of format {FormatName}");
        return (manifest, null);
    }

    /// <summary>How a file just written into a backup folder goes in the manifest.</summary>
    public static BackedUpFile Describe(string backupFolder, string entry)
    {
        var path = Path.Combine(backupFolder, entry);
        return new BackedUpFile(entry, new FileInfo(path).Length, Sha256(path), FileModes.Text(FileModes.Get(path)));
    }

    /// <summary>Every file of the manifest is in the backup with its size and SHA-256; no path leaves the backup.</summary>
    public static List<string> Verify(string src, BackupManifest manifest)
    {
        var problems = new List<string>();
        if (!manifest.Files.Any(f => f.Path == DatabaseEntry)) problems.Add($"the manifest has no {DatabaseEntry}");
        foreach (var folder in (manifest.FolderModes ?? new Dictionary<string, string>()).Keys)
            if (folder.Split('/') is var parts && (parts[0] is not ("voicemail" or "prompts") || parts.Any(p => p is ".." or "." or "")))
                problems.Add($"folder '{folder}' of the manifest is not a voicemail or prompts folder");
        foreach (var file in manifest.Files)
            if (ProblemOf(src, file) is { } problem) problems.Add(problem);
        return problems;
    }

    private static string? ProblemOf(string src, BackedUpFile file)
    {
        var full = Path.GetFullPath(Path.Combine(src, file.Path));
        if (Path.IsPathRooted(file.Path) || file.Path.Split('/').Any(p => p is ".." or "." or "") || !full.StartsWith(src + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            return $"{file.Path}: not a path inside the backup";
        if (!File.Exists(full)) return $"{file.Path}: missing";
        var size = new FileInfo(full).Length;
        if (size != file.Size) return $"{file.Path}: {size} bytes, the manifest says {file.Size}";
        if (!Matches(full, file)) return $"{file.Path}: SHA-256 differs from the manifest (corrupted or changed)";
        return null;
    }

    /// <summary>Whether the file's SHA-256 is the manifest's.</summary>
    public static bool Matches(string path, BackedUpFile file) => string.Equals(Sha256(path), file.Sha256, StringComparison.OrdinalIgnoreCase);

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
