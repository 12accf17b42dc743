using System.CommandLine;
using Microsoft.Extensions.Configuration;
using PbxRouter.Backup;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Hosting;
using PbxRouter.Store;

namespace PbxRouter.Cli;

/// <summary>
/// `pbxrouter backup DEST` and `pbxrouter restore SRC`: the database (SQLite online backup API, safe while the engine
/// writes), the voicemail audio, the prompts and the generated Asterisk configuration, in a folder with a manifest
/// (sizes, SHA-256, modes) that restore verifies before it writes anything. The work is in <see cref="StateBackup"/> and
/// <see cref="StateRestore"/>; this file parses the options, prints and gives the exit code.
/// </summary>
public static class BackupCommand
{
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

    private static async Task<int> BackupAsync(StatePaths paths, string destArg, CancellationToken ct)
    {
        var dest = Path.GetFullPath(destArg);
        if (StateBackup.Refusal(paths, dest) is { } refusal) return CliContext.Fail("backup", refusal);
        var work = StateBackup.StartBeside(dest);
        BackupManifest written;
        try { written = await StateBackup.WriteAsync(paths, work, dest, warning => Console.Error.WriteLine($"pbxrouter backup: {warning}"), ct); }
        catch (Exception ex) when (DatabaseCopy.IsCopyProblem(ex))
        {
            return CliContext.Fail("backup", $"{ex.Message} (nothing was written to {dest})", ExitCodes.Failure);
        }
        var asterisk = written.CountUnder("asterisk");
        Console.Out.WriteLine($"Backed up {paths.Database} (schema version {written.SchemaVersion}), {written.CountUnder("voicemail")} voicemail file(s), "
            + $"{written.CountUnder("prompts")} prompt file(s), {asterisk} generated Asterisk file(s) into {dest} ({written.Files.Sum(f => f.Size)} bytes; "
            + $"manifest {BackupManifest.FileName}).");
        if (asterisk > 0) Console.Out.WriteLine("SIP passwords were removed from the generated Asterisk configuration: the engine writes them again from its environment when it connects.");
        return ExitCodes.Ok;
    }

    private static async Task<int> RestoreAsync(StatePaths paths, string srcArg, bool force, CancellationToken ct)
    {
        var src = Path.GetFullPath(srcArg);
        var (manifest, problem) = await BackupManifest.ReadAsync(src, ct);
        if (manifest is null) return CliContext.Fail("restore", problem!);
        if (Unusable(src, manifest) is { } unusable) return CliContext.Fail("restore", unusable);

        var plan = RestorePlan.Of(paths, manifest);
        var occupied = plan.Occupied;
        if (occupied.Count > 0 && !force)
            return CliContext.Fail("restore", $"{string.Join(", ", occupied)} already exist{(occupied.Count == 1 ? "s" : "")}: "
                + "stop the engine and pass --force to restore over it (the old files are moved aside, never deleted); nothing was restored");

        var restore = new StateRestore(src, manifest, plan);
        try { await restore.StageAsync(ct); }
        catch (Exception ex) when (DatabaseCopy.IsCopyProblem(ex)) { return CliContext.Fail("restore", $"{ex.Message}; nothing was restored", ExitCodes.Failure); }
        try { restore.SwapIn(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return CliContext.Fail("restore", $"{ex.Message}; what had been replaced was put back", ExitCodes.Failure);
        }
        PrintRestored(src, manifest, plan, restore);
        return ExitCodes.Ok;
    }

    /// <summary>Why the backup cannot be restored (its files do not match the manifest, or its schema is too new), or null.</summary>
    private static string? Unusable(string src, BackupManifest manifest)
    {
        var problems = BackupManifest.Verify(src, manifest);
        if (problems.Count > 0)
        {
            foreach (var p in problems) Console.Error.WriteLine($"pbxrouter restore: {p}");
            return $"the backup {src} does not match its manifest: nothing was restored";
        }
        if (manifest.SchemaVersion > StoreDatabase.KnownSchemaVersion)
            return $"the backup's database has schema version {manifest.SchemaVersion}, newer than this pbxrouter knows "
                + $"({StoreDatabase.KnownSchemaVersion}): restore it with pbxrouter {manifest.PbxRouterVersion} or newer; nothing was restored";
        return null;
    }

    private static void PrintRestored(string src, BackupManifest manifest, RestorePlan plan, StateRestore restore)
    {
        Console.Out.WriteLine($"Restored the backup of {manifest.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC (pbxrouter {manifest.PbxRouterVersion}, schema version {manifest.SchemaVersion}) from {src}:");
        foreach (var (target, aside, isFolder) in restore.Restored)
        {
            var count = isFolder ? Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Count() : 1;
            Console.Out.WriteLine($"  {target}{(isFolder ? $" ({count} file(s))" : "")}{(aside is null ? "" : $"; the previous one is now {aside}")}");
        }
        foreach (var entry in plan.NotRestored)
            Console.Out.WriteLine($"  {entry}: not restored (no Asterisk:GeneratedConfigPath, or the file exists): the engine writes it when it connects");
        Console.Out.WriteLine("Next: make the files the engine's user's if needed (chown -R pbxrouter:pbxrouter), then start or restart the engine "
            + "(systemctl restart pbxrouter.service); check with `pbxrouter rules show` and `pbxrouter calls`.");
    }
}
