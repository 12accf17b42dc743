using System.Text.RegularExpressions;

namespace PbxRouter.Backup;

/// <summary>
/// Making a backup: the database (SQLite online backup, safe while the engine writes), the voicemail audio, the prompts
/// and the generated Asterisk configuration without its SIP passwords, written aside then renamed, so that the backup
/// folder holds a whole backup or nothing.
/// </summary>
public static partial class StateBackup
{
    private const string Redacted = "<removed-by-backup: the engine writes it again from its environment when it connects>";

    /// <summary>Why DEST cannot take a backup of these paths, or null.</summary>
    public static string? Refusal(StatePaths paths, string dest)
    {
        if (File.Exists(dest)) return $"{dest} exists and is a file: give a new folder";
        if (Directory.Exists(dest) && Directory.EnumerateFileSystemEntries(dest).Any())
            return $"{dest} already exists and is not empty: give a new folder (a backup never overwrites another)";
        foreach (var source in new[] { paths.Voicemail, paths.Prompts })
            if (dest == source || dest.StartsWith(source + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                return $"{dest} is inside {source}, which is backed up: give a folder elsewhere";
        if (!File.Exists(paths.Database))
            return $"the database {paths.Database} does not exist (Database:Path of the settings, or --db)";
        return null;
    }

    /// <summary>The private folder beside DEST the backup is written into before it is renamed to DEST.</summary>
    public static string StartBeside(string dest)
    {
        var parent = Path.GetDirectoryName(dest)!;
        Directory.CreateDirectory(parent);
        var work = Path.Combine(parent, $".{Path.GetFileName(dest)}.partial-{Guid.NewGuid().ToString("N")[..8]}");
        FileModes.CreatePrivateFolder(work);
        return work;
    }

    /// <summary>Writes the backup into <paramref name="work"/> then renames it to DEST, and gives its manifest; on any failure nothing is left behind.</summary>
    public static async Task<BackupManifest> WriteAsync(StatePaths paths, string work, string dest, Action<string> warn, CancellationToken ct)
    {
        try
        {
            var files = new List<BackedUpFile>();
            var folderModes = new Dictionary<string, string>();
            var schema = await DatabaseCopy.CopyOnlineAsync(paths.Database, Path.Combine(work, BackupManifest.DatabaseEntry), ct);
            files.Add(BackupManifest.Describe(work, BackupManifest.DatabaseEntry));
            var tree = new TreeCopy(work, files, folderModes, warn);
            // Voicemail: the messages' audio; TEMP/ holds copies not yet renamed (never a message).
            if (Directory.Exists(paths.Voicemail))
                tree.Copy(paths.Voicemail, "voicemail", skip: rel => rel == "TEMP" || rel.StartsWith("TEMP/", StringComparison.Ordinal));
            // Prompts: spoken and uploaded; .voicemail-playback/ holds short-lived copies of messages being listened to.
            if (Directory.Exists(paths.Prompts))
                tree.Copy(paths.Prompts, "prompts", skip: rel => rel.Split('/')[0] == ".voicemail-playback");
            await CopyGeneratedAsteriskAsync(paths, work, files, ct);

            var manifest = new BackupManifest(BackupManifest.FormatName, BackupManifest.Version, schema, DateTimeOffset.UtcNow, paths.Database, folderModes, files);
            await manifest.WriteAsync(work, ct);
            if (Directory.Exists(dest)) Directory.Delete(dest); // empty (checked by Refusal)
            Directory.Move(work, dest);
            return manifest;
        }
        catch
        {
            TryDelete(work);
            throw;
        }
    }

    private static async Task CopyGeneratedAsteriskAsync(StatePaths paths, string work, List<BackedUpFile> files, CancellationToken ct)
    {
        foreach (var (generated, entry) in paths.GeneratedAsterisk)
        {
            if (generated is null || !File.Exists(generated)) continue;
            var text = WithoutPasswords(await File.ReadAllTextAsync(generated, ct));
            var target = Path.Combine(work, entry);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllTextAsync(target, text, ct);
            FileModes.Set(target, FileModes.Get(generated));
            files.Add(BackupManifest.Describe(work, entry));
        }
    }

    /// <summary>The generated PJSIP file holds the phones' and trunks' passwords (from the environment): never in a backup.</summary>
    public static string WithoutPasswords(string text) => PasswordLine().Replace(text, m => $"{m.Groups[1].Value}{Redacted}");

    [GeneratedRegex(@"^(\s*(?:password|md5_cred)\s*=\s*).*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex PasswordLine();

    private static void TryDelete(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Copies a voicemail or prompts folder into the backup, files and folder modes, symbolic links left out.</summary>
    private sealed class TreeCopy(string work, List<BackedUpFile> files, Dictionary<string, string> folderModes, Action<string> warn)
    {
        public void Copy(string root, string entry, Func<string, bool> skip)
        {
            var folder = Path.Combine(work, entry);
            Directory.CreateDirectory(folder);
            folderModes[entry] = FileModes.Text(FileModes.Get(root));
            foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0 }).Order(StringComparer.Ordinal))
            {
                var rel = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
                if (skip(rel)) continue;
                if (new FileInfo(path).LinkTarget is not null)
                {
                    warn($"{path} is a symbolic link: not copied");
                    continue;
                }
                if (Directory.Exists(path))
                {
                    Copy(path, $"{entry}/{rel}", r => skip($"{rel}/{r}"));
                    continue;
                }
                var target = Path.Combine(folder, Path.GetFileName(path));
                File.Copy(path, target);
                FileModes.Set(target, FileModes.Get(path));
                files.Add(BackupManifest.Describe(work, $"{entry}/{rel}"));
            }
            // Set last: a read-only folder mode would refuse the copies into it.
            FileModes.Set(folder, FileModes.Get(root) | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead);
        }
    }
}
