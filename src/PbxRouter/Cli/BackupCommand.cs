using System.CommandLine;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Hosting;
using PbxRouter.Store;

namespace PbxRouter.Cli;

/// <summary>
/// `pbxrouter backup DEST` and `pbxrouter restore SRC`: the database (SQLite online backup API, safe while the engine
/// writes), the voicemail audio, the prompts and the generated Asterisk configuration, in a folder with a manifest
/// (sizes, SHA-256, modes) that restore verifies before it writes anything.
/// </summary>
public static partial class BackupCommand
{
    public const string ManifestName = "manifest.json";
    public const string DatabaseEntry = "database/pbxrouter.db";
    private const string Redacted = "<removed-by-backup: the engine writes it again from its environment when it connects>";

    public static Command CreateBackup()
    {
        var dest = new Argument<string>("DEST") { Description = "A new folder (or an empty one) to write the backup into" };
        var config = CliContext.ConfigOption();
        var db = CliContext.DatabaseOption();
        var command = new Command("backup", "Copies the database (online, safe while the engine runs), the voicemail audio, the prompts and the "
            + "generated Asterisk configuration (SIP passwords removed) into DEST, with a manifest of sizes and SHA-256.") { dest, config, db };
        command.SetAction(async (parse, ct) =>
        {
            if (Paths("backup", parse.GetValue(config), parse.GetValue(db)) is not { } paths) return ExitCodes.BadConfiguration;
            return await BackupAsync(paths, parse.GetValue(dest)!, ct);
        });
        return command;
    }

    public static Command CreateRestore()
    {
        var src = new Argument<string>("SRC") { Description = "A folder written by `pbxrouter backup`" };
        var config = CliContext.ConfigOption();
        var db = CliContext.DatabaseOption();
        var force = new Option<bool>("--force")
        {
            Description = "Restore even though the database (or voicemail/prompts folder) already exists: the old ones are moved aside (NAME.before-restore-TIME), never deleted",
        };
        var command = new Command("restore", "Verifies a backup's manifest (sizes, SHA-256), then puts the database, voicemail audio, prompts and "
            + "generated Asterisk configuration where the settings (or --db) say. Stop the engine first.") { src, config, db, force };
        command.SetAction(async (parse, ct) =>
        {
            if (Paths("restore", parse.GetValue(config), parse.GetValue(db)) is not { } paths) return ExitCodes.BadConfiguration;
            return await RestoreAsync(paths, parse.GetValue(src)!, parse.GetValue(force), ct);
        });
        return command;
    }

    /// <summary>Where the engine keeps its state, as the settings (file + environment) and --db say.</summary>
    public sealed record StatePaths(string Database, string Voicemail, string Prompts, string? GeneratedPjsip, string? GeneratedDialplan);

    private static StatePaths? Paths(string verb, FileInfo? config, string? db)
    {
        // Only the paths matter here: a missing ARI password (a secret of the engine's environment) is not a problem.
        var settings = EngineSettings.Load(config);
        if (config is not null && !config.Exists)
        {
            Console.Error.WriteLine($"pbxrouter {verb}: settings file {config.FullName} does not exist");
            return null;
        }
        var database = Path.GetFullPath(string.IsNullOrEmpty(db) ? settings.DatabasePath : db);
        var voicemail = (settings.Configuration.GetSection("Voicemail").Get<VoicemailOptions>() ?? new()).StorageFolder(database);
        var prompts = settings.Prompts.Folder(database);
        var p = settings.Provisioning;
        return new StatePaths(database, Path.GetFullPath(voicemail), Path.GetFullPath(prompts),
            p.Enabled ? Path.GetFullPath(p.GeneratedConfigPath) : null, p.Enabled ? p.GeneratedDialplanPath : null);
    }

    public sealed record ManifestFile(string Path, long Size, string Sha256, string Mode);

    public sealed record Manifest(string Format, string PbxRouterVersion, int SchemaVersion, DateTimeOffset CreatedAt, string Database,
        IReadOnlyDictionary<string, string> FolderModes, IReadOnlyList<ManifestFile> Files);

    private const string FormatName = "pbxrouter-backup/1";

    public static string Version =>
        typeof(BackupCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(BackupCommand).Assembly.GetName().Version?.ToString() ?? "unknown";

    // ---------------------------------------------------------------- backup

    private static async Task<int> BackupAsync(StatePaths paths, string destArg, CancellationToken ct)
    {
        var dest = Path.GetFullPath(destArg);
        if (File.Exists(dest)) return CliContext.Fail("backup", $"{dest} exists and is a file: give a new folder");
        if (Directory.Exists(dest) && Directory.EnumerateFileSystemEntries(dest).Any())
            return CliContext.Fail("backup", $"{dest} already exists and is not empty: give a new folder (a backup never overwrites another)");
        foreach (var source in new[] { paths.Voicemail, paths.Prompts })
            if (dest == source || dest.StartsWith(source + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                return CliContext.Fail("backup", $"{dest} is inside {source}, which is backed up: give a folder elsewhere");
        if (!File.Exists(paths.Database))
            return CliContext.Fail("backup", $"the database {paths.Database} does not exist (Database:Path of the settings, or --db)");

        var parent = Path.GetDirectoryName(dest)!;
        Directory.CreateDirectory(parent);
        // Written aside, then renamed: DEST holds a whole backup or nothing.
        var work = Path.Combine(parent, $".{Path.GetFileName(dest)}.partial-{Guid.NewGuid().ToString("N")[..8]}");
        CreatePrivateFolder(work);
        try
        {
            var files = new List<ManifestFile>();
            var folderModes = new Dictionary<string, string>();
            var schema = await CopyDatabaseAsync(paths.Database, Path.Combine(work, DatabaseEntry), ct);
            files.Add(Describe(work, DatabaseEntry));

            // Voicemail: the messages' audio; TEMP/ holds copies not yet renamed (never a message).
            if (Directory.Exists(paths.Voicemail))
            {
                CopyTree(paths.Voicemail, work, "voicemail", skip: rel => rel == "TEMP" || rel.StartsWith("TEMP/", StringComparison.Ordinal), files, folderModes);
            }
            // Prompts: spoken and uploaded; .voicemail-playback/ holds short-lived copies of messages being listened to.
            if (Directory.Exists(paths.Prompts))
            {
                CopyTree(paths.Prompts, work, "prompts", skip: rel => rel.Split('/')[0] == ".voicemail-playback", files, folderModes);
            }
            foreach (var (generated, entry) in new[] { (paths.GeneratedPjsip, "asterisk/pjsip_generated.conf"), (paths.GeneratedDialplan, "asterisk/extensions_generated.conf") })
            {
                if (generated is null || !File.Exists(generated)) continue;
                var text = WithoutPasswords(await File.ReadAllTextAsync(generated, ct));
                var target = Path.Combine(work, entry);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await File.WriteAllTextAsync(target, text, ct);
                SetMode(target, GetMode(generated));
                files.Add(Describe(work, entry));
            }

            var manifest = new Manifest(FormatName, Version, schema, DateTimeOffset.UtcNow, paths.Database, folderModes, files);
            await File.WriteAllTextAsync(Path.Combine(work, ManifestName), JsonSerializer.Serialize(manifest, CliContext.Json), ct);
            SetMode(Path.Combine(work, ManifestName), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            if (Directory.Exists(dest)) Directory.Delete(dest); // empty (checked above)
            Directory.Move(work, dest);

            var audio = files.Count(f => f.Path.StartsWith("voicemail/", StringComparison.Ordinal));
            var prompts = files.Count(f => f.Path.StartsWith("prompts/", StringComparison.Ordinal));
            var asterisk = files.Count(f => f.Path.StartsWith("asterisk/", StringComparison.Ordinal));
            Console.Out.WriteLine($"Backed up {paths.Database} (schema version {schema}), {audio} voicemail file(s), {prompts} prompt file(s), "
                + $"{asterisk} generated Asterisk file(s) into {dest} ({files.Sum(f => f.Size)} bytes; manifest {ManifestName}).");
            if (asterisk > 0) Console.Out.WriteLine("SIP passwords were removed from the generated Asterisk configuration: the engine writes them again from its environment when it connects.");
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException or StoreException)
        {
            TryDelete(work);
            return CliContext.Fail("backup", $"{ex.Message} (nothing was written to {dest})", ExitCodes.Failure);
        }
        catch
        {
            TryDelete(work);
            throw;
        }
    }

    /// <summary>The SQLite online backup API: a consistent copy even while the engine writes (it retries pages that change).</summary>
    private static async Task<int> CopyDatabaseAsync(string source, string target, CancellationToken ct)
    {
        CreatePrivateFolder(Path.GetDirectoryName(target)!);
        var from = new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 30 }.ToString();
        var to = new SqliteConnectionStringBuilder { DataSource = target, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString();
        await using (var src = new SqliteConnection(from))
        await using (var dst = new SqliteConnection(to))
        {
            await src.OpenAsync(ct);
            using (var busy = src.CreateCommand())
            {
                busy.CommandText = "PRAGMA busy_timeout=30000;";
                await busy.ExecuteNonQueryAsync(ct);
            }
            await dst.OpenAsync(ct);
            src.BackupDatabase(dst);
            // One self-contained file (no -wal beside it).
            using var single = dst.CreateCommand();
            single.CommandText = "PRAGMA journal_mode=DELETE;";
            await single.ExecuteNonQueryAsync(ct);
        }
        SetMode(target, GetMode(source));
        return await CheckDatabaseAsync(target, ct);
    }

    /// <summary>The file's schema version, after SQLite's integrity check (read-only: the file stays as it is, one file, no WAL).</summary>
    private static async Task<int> CheckDatabaseAsync(string path, CancellationToken ct)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(cs);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        var integrity = (string?)await command.ExecuteScalarAsync(ct);
        if (integrity != "ok") throw new IOException($"{path}: SQLite integrity check failed: {integrity}");
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations';";
        if ((long)(await command.ExecuteScalarAsync(ct))! == 0) return 0;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;";
        return (int)(long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static void CopyTree(string root, string work, string entry, Func<string, bool> skip, List<ManifestFile> files, Dictionary<string, string> folderModes)
    {
        var folder = Path.Combine(work, entry);
        Directory.CreateDirectory(folder);
        folderModes[entry] = ModeText(GetMode(root));
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0 }).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (skip(rel)) continue;
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                Console.Error.WriteLine($"pbxrouter backup: {path} is a symbolic link: not copied");
                continue;
            }
            if (Directory.Exists(path))
            {
                CopyTree(path, work, $"{entry}/{rel}", r => skip($"{rel}/{r}"), files, folderModes);
                continue;
            }
            var target = Path.Combine(folder, Path.GetFileName(path));
            File.Copy(path, target);
            SetMode(target, GetMode(path));
            files.Add(Describe(work, $"{entry}/{rel}"));
        }
        // Set last: a read-only folder mode would refuse the copies into it.
        SetMode(folder, GetMode(root) | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead);
    }

    /// <summary>The generated PJSIP file holds the phones' and trunks' passwords (from the environment): never in a backup.</summary>
    public static string WithoutPasswords(string text) => PasswordLine().Replace(text, m => $"{m.Groups[1].Value}{Redacted}");

    [GeneratedRegex(@"^(\s*(?:password|md5_cred)\s*=\s*).*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex PasswordLine();

    private static ManifestFile Describe(string work, string entry)
    {
        var path = Path.Combine(work, entry);
        return new ManifestFile(entry, new FileInfo(path).Length, Sha256(path), ModeText(GetMode(path)));
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string ModeText(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');

    private static UnixFileMode ParseMode(string text) => (UnixFileMode)(Convert.ToInt32(text, 8) & 0x1FF);

    private static void TryDelete(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    // ---------------------------------------------------------------- restore

    private static async Task<int> RestoreAsync(StatePaths paths, string srcArg, bool force, CancellationToken ct)
    {
        var src = Path.GetFullPath(srcArg);
        var manifestPath = Path.Combine(src, ManifestName);
        if (!File.Exists(manifestPath)) return CliContext.Fail("restore", $"{manifestPath} does not exist: {src} is not a backup of `pbxrouter backup`");
        Manifest? manifest;
        try { manifest = JsonSerializer.Deserialize<Manifest>(await File.ReadAllTextAsync(manifestPath, ct), CliContext.Json); }
        catch (JsonException ex) { return CliContext.Fail("restore", $"{manifestPath} is not a valid manifest: {ex.Message}"); }
        if (manifest is null || manifest.Format != FormatName || manifest.Files is null || manifest.FolderModes is null)
            return CliContext.Fail("restore", $"{manifestPath} is not a manifest of format {FormatName}");

        // 1. Verify everything before writing anything.
        var problems = Verify(src, manifest);
        if (problems.Count > 0)
        {
            foreach (var p in problems) Console.Error.WriteLine($"pbxrouter restore: {p}");
            return CliContext.Fail("restore", $"the backup {src} does not match its manifest: nothing was restored");
        }
        if (manifest.SchemaVersion > StoreDatabase.KnownSchemaVersion)
            return CliContext.Fail("restore", $"the backup's database has schema version {manifest.SchemaVersion}, newer than this pbxrouter knows "
                + $"({StoreDatabase.KnownSchemaVersion}): restore it with pbxrouter {manifest.PbxRouterVersion} or newer; nothing was restored");

        // 2. What would be replaced.
        var groups = new List<(string Target, string Prefix, bool IsFolder)> { (paths.Database, DatabaseEntry, false) };
        if (manifest.Files.Any(f => f.Path.StartsWith("voicemail/", StringComparison.Ordinal)) || manifest.FolderModes.ContainsKey("voicemail"))
            groups.Add((paths.Voicemail, "voicemail", true));
        if (manifest.Files.Any(f => f.Path.StartsWith("prompts/", StringComparison.Ordinal)) || manifest.FolderModes.ContainsKey("prompts"))
            groups.Add((paths.Prompts, "prompts", true));
        var skippedGenerated = new List<string>();
        foreach (var (target, entry) in new[] { (paths.GeneratedPjsip, "asterisk/pjsip_generated.conf"), (paths.GeneratedDialplan, "asterisk/extensions_generated.conf") })
        {
            if (!manifest.Files.Any(f => f.Path == entry)) continue;
            // A file there already is the engine's own (with its passwords): keep it; the engine rewrites it when it connects.
            if (target is null || File.Exists(target)) skippedGenerated.Add(entry);
            else groups.Add((target, entry, false));
        }
        var occupied = groups.Where(g => g.IsFolder ? Directory.Exists(g.Target) && Directory.EnumerateFileSystemEntries(g.Target).Any() : File.Exists(g.Target))
            .Select(g => g.Target).ToList();
        if (occupied.Count > 0 && !force)
            return CliContext.Fail("restore", $"{string.Join(", ", occupied)} already exist{(occupied.Count == 1 ? "s" : "")}: "
                + "stop the engine and pass --force to restore over it (the old files are moved aside, never deleted); nothing was restored");

        // 3. Stage every group beside its target (same file system, so renames are atomic), verifying each copy.
        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMddTHHmmssZ");
        var staged = new List<(string Target, string Staged, bool IsFolder)>();
        try
        {
            foreach (var (target, prefix, isFolder) in groups)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var stage = StageOf(target, stamp);
                staged.Add((target, stage, isFolder));
                if (isFolder)
                {
                    CreatePrivateFolder(stage);
                    foreach (var file in manifest.Files.Where(f => f.Path.StartsWith(prefix + "/", StringComparison.Ordinal)))
                        await StageFileAsync(src, file, Path.Combine(stage, file.Path[(prefix.Length + 1)..]), ct);
                    // Folder modes (voicemail 0700...), deepest first so that none refuses what goes in it.
                    foreach (var (folder, mode) in manifest.FolderModes.Where(f => f.Key == prefix || f.Key.StartsWith(prefix + "/", StringComparison.Ordinal)).OrderByDescending(f => f.Key.Length))
                    {
                        var path = folder == prefix ? stage : Path.Combine(stage, folder[(prefix.Length + 1)..]);
                        Directory.CreateDirectory(path);
                        SetMode(path, ParseMode(mode));
                    }
                }
                else
                    await StageFileAsync(src, manifest.Files.Single(f => f.Path == prefix), stage, ct);
            }
            var check = await CheckDatabaseAsync(staged[0].Staged, ct);
            if (check != manifest.SchemaVersion) throw new IOException($"the restored database has schema version {check}, the manifest says {manifest.SchemaVersion}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException or StoreException)
        {
            SqliteConnection.ClearAllPools();
            foreach (var s in staged) RemoveStaged(s.Staged, s.IsFolder);
            return CliContext.Fail("restore", $"{ex.Message}; nothing was restored", ExitCodes.Failure);
        }

        // 4. Swap: move the old aside, rename the staged in; any failure puts back what was moved.
        var done = new List<(string Target, string? Aside, string Staged, bool IsFolder)>();
        try
        {
            foreach (var (target, stage, isFolder) in staged)
            {
                string? aside = null;
                if (isFolder ? Directory.Exists(target) : File.Exists(target))
                {
                    aside = $"{target}.before-restore-{stamp}";
                    if (isFolder) Directory.Move(target, aside);
                    else
                    {
                        File.Move(target, aside);
                        foreach (var side in new[] { "-wal", "-shm", "-journal" })
                            if (File.Exists(target + side)) File.Move(target + side, aside + side);
                    }
                }
                done.Add((target, aside, stage, isFolder));
                if (isFolder) Directory.Move(stage, target);
                else File.Move(stage, target);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            foreach (var (target, aside, stage, isFolder) in Enumerable.Reverse(done))
            {
                try
                {
                    if (isFolder ? Directory.Exists(target) && !Directory.Exists(stage) : File.Exists(target) && !File.Exists(stage))
                    {
                        if (isFolder) Directory.Move(target, stage); else File.Move(target, stage);
                    }
                    if (aside is not null)
                    {
                        if (isFolder) Directory.Move(aside, target);
                        else
                        {
                            File.Move(aside, target);
                            foreach (var side in new[] { "-wal", "-shm", "-journal" })
                                if (File.Exists(aside + side)) File.Move(aside + side, target + side);
                        }
                    }
                }
                catch (IOException) { }
            }
            foreach (var s in staged) RemoveStaged(s.Staged, s.IsFolder);
            return CliContext.Fail("restore", $"{ex.Message}; what had been replaced was put back", ExitCodes.Failure);
        }

        Console.Out.WriteLine($"Restored the backup of {manifest.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC (pbxrouter {manifest.PbxRouterVersion}, schema version {manifest.SchemaVersion}) from {src}:");
        foreach (var (target, aside, _, isFolder) in done)
        {
            var count = isFolder ? Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Count() : 1;
            Console.Out.WriteLine($"  {target}{(isFolder ? $" ({count} file(s))" : "")}{(aside is null ? "" : $"; the previous one is now {aside}")}");
        }
        foreach (var entry in skippedGenerated)
            Console.Out.WriteLine($"  {entry}: not restored (no Asterisk:GeneratedConfigPath, or the file exists): the engine writes it when it connects");
        Console.Out.WriteLine("Next: make the files the engine's user's if needed (chown -R pbxrouter:pbxrouter), then start or restart the engine "
            + "(systemctl restart pbxrouter.service); check with `pbxrouter rules show` and `pbxrouter calls`.");
        return ExitCodes.Ok;
    }

    /// <summary>Every file of the manifest is in the backup with its size and SHA-256; no path leaves the backup.</summary>
    public static List<string> Verify(string src, Manifest manifest)
    {
        var problems = new List<string>();
        if (!manifest.Files.Any(f => f.Path == DatabaseEntry)) problems.Add($"the manifest has no {DatabaseEntry}");
        foreach (var folder in (manifest.FolderModes ?? new Dictionary<string, string>()).Keys)
            if (folder.Split('/') is var parts && (parts[0] is not ("voicemail" or "prompts") || parts.Any(p => p is ".." or "." or "")))
                problems.Add($"folder '{folder}' of the manifest is not a voicemail or prompts folder");
        foreach (var file in manifest.Files)
        {
            var full = Path.GetFullPath(Path.Combine(src, file.Path));
            if (Path.IsPathRooted(file.Path) || file.Path.Split('/').Any(p => p is ".." or "." or "") || !full.StartsWith(src + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                problems.Add($"{file.Path}: not a path inside the backup");
                continue;
            }
            if (!File.Exists(full)) { problems.Add($"{file.Path}: missing"); continue; }
            var size = new FileInfo(full).Length;
            if (size != file.Size) { problems.Add($"{file.Path}: {size} bytes, the manifest says {file.Size}"); continue; }
            if (!string.Equals(Sha256(full), file.Sha256, StringComparison.OrdinalIgnoreCase)) problems.Add($"{file.Path}: SHA-256 differs from the manifest (corrupted or changed)");
        }
        return problems;
    }

    private static async Task StageFileAsync(string src, ManifestFile file, string target, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await using (var input = File.OpenRead(Path.Combine(src, file.Path)))
        await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await input.CopyToAsync(output, ct);
            output.Flush(flushToDisk: true);
        }
        SetMode(target, ParseMode(file.Mode));
        if (!string.Equals(Sha256(target), file.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new IOException($"{target}: the copy of {file.Path} differs from the manifest");
    }

    private static UnixFileMode GetMode(string path) => OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : File.GetUnixFileMode(path);

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
    }

    /// <summary>A folder only its owner reads (health data), created so from the start.</summary>
    private static void CreatePrivateFolder(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string StageOf(string target, string stamp) =>
        Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.restore-{stamp}");

    private static void RemoveStaged(string path, bool isFolder)
    {
        try
        {
            if (isFolder && Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else if (!isFolder && File.Exists(path)) File.Delete(path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
