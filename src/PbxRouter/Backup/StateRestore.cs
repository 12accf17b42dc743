using Microsoft.Data.Sqlite;

namespace PbxRouter.Backup;

/// <summary>A place a restore wrote, and where the previous one was moved (null when there was none).</summary>
public sealed record RestoredTarget(string Target, string? Aside, bool IsFolder);

/// <summary>
/// Putting a verified backup in place: every target is first staged beside itself (same file system, so renames are atomic)
/// and checked, then the old ones are moved aside (NAME.before-restore-TIME, never deleted) and the staged ones renamed in;
/// a failure while renaming puts back what had been replaced.
/// </summary>
public sealed class StateRestore(string backupFolder, BackupManifest manifest, RestorePlan plan)
{
    private static readonly string[] DatabaseSideFiles = ["-wal", "-shm", "-journal"];

    private readonly string stamp = DateTimeOffset.UtcNow.ToString("yyyyMMddTHHmmssZ");
    private readonly List<(RestoreTarget Place, string Staged)> staged = [];
    private readonly List<(RestoreTarget Place, string? Aside, string Staged)> swapped = [];

    public IEnumerable<RestoredTarget> Restored => swapped.Select(s => new RestoredTarget(s.Place.Target, s.Aside, s.Place.IsFolder));

    /// <summary>Copies every target beside its place, each file checked against the manifest; on failure removes the copies.</summary>
    public async Task StageAsync(CancellationToken ct)
    {
        try
        {
            foreach (var target in plan.Targets) await StageAsync(target, ct);
            var check = await DatabaseCopy.CheckAsync(staged[0].Staged, ct);
            if (check != manifest.SchemaVersion) throw new IOException($"the restored database has schema version {check}, the manifest says {manifest.SchemaVersion}");
        }
        catch (Exception ex) when (DatabaseCopy.IsCopyProblem(ex))
        {
            SqliteConnection.ClearAllPools();
            RemoveStaged();
            throw;
        }
    }

    /// <summary>Moves the old targets aside and renames the staged ones in; on failure puts back what had been replaced.</summary>
    public void SwapIn()
    {
        try
        {
            foreach (var (place, stage) in staged) SwapIn(place, stage);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            PutBack();
            RemoveStaged();
            throw;
        }
    }

    private async Task StageAsync(RestoreTarget target, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target.Target)!);
        var stage = Path.Combine(Path.GetDirectoryName(target.Target)!, $".{Path.GetFileName(target.Target)}.restore-{stamp}");
        staged.Add((target, stage));
        if (target.IsFolder) await StageFolderAsync(target.Entry, stage, ct);
        else await StageFileAsync(manifest.Files.Single(f => f.Path == target.Entry), stage, ct);
    }

    private async Task StageFolderAsync(string prefix, string stage, CancellationToken ct)
    {
        FileModes.CreatePrivateFolder(stage);
        foreach (var file in manifest.Files.Where(f => f.Path.StartsWith(prefix + "/", StringComparison.Ordinal)))
            await StageFileAsync(file, Path.Combine(stage, file.Path[(prefix.Length + 1)..]), ct);
        // Folder modes (voicemail 0700...), deepest first so that none refuses what goes in it.
        foreach (var (folder, mode) in manifest.FolderModes.Where(f => f.Key == prefix || f.Key.StartsWith(prefix + "/", StringComparison.Ordinal)).OrderByDescending(f => f.Key.Length))
        {
            var path = folder == prefix ? stage : Path.Combine(stage, folder[(prefix.Length + 1)..]);
            Directory.CreateDirectory(path);
            FileModes.Set(path, FileModes.Parse(mode));
        }
    }

    private async Task StageFileAsync(BackedUpFile file, string target, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await using (var input = File.OpenRead(Path.Combine(backupFolder, file.Path)))
        await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await input.CopyToAsync(output, ct);
            output.Flush(flushToDisk: true);
        }
        FileModes.Set(target, FileModes.Parse(file.Mode));
        if (!BackupManifest.Matches(target, file))
            throw new IOException($"{target}: the copy of {file.Path} differs from the manifest");
    }

    private void SwapIn(RestoreTarget place, string stage)
    {
        string? aside = null;
        if (Exists(place.Target, place.IsFolder))
        {
            aside = $"{place.Target}.before-restore-{stamp}";
            MoveWithSideFiles(place.Target, aside, place.IsFolder);
        }
        swapped.Add((place, aside, stage));
        Move(stage, place.Target, place.IsFolder);
    }

    private void PutBack()
    {
        foreach (var (place, aside, stage) in Enumerable.Reverse(swapped))
        {
            try
            {
                if (Exists(place.Target, place.IsFolder) && !Exists(stage, place.IsFolder)) Move(place.Target, stage, place.IsFolder);
                if (aside is not null) MoveWithSideFiles(aside, place.Target, place.IsFolder);
            }
            catch (IOException) { }
        }
    }

    private void RemoveStaged()
    {
        foreach (var (place, stage) in staged)
        {
            try
            {
                if (place.IsFolder && Directory.Exists(stage)) Directory.Delete(stage, recursive: true);
                else if (!place.IsFolder && File.Exists(stage)) File.Delete(stage);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static bool Exists(string path, bool isFolder) => isFolder ? Directory.Exists(path) : File.Exists(path);

    private static void Move(string from, string to, bool isFolder)
    {
        if (isFolder) Directory.Move(from, to);
        else File.Move(from, to);
    }

    /// <summary>A database file moves with its -wal, -shm and -journal files when they are there.</summary>
    private static void MoveWithSideFiles(string from, string to, bool isFolder)
    {
        Move(from, to, isFolder);
        if (isFolder) return;
        foreach (var side in DatabaseSideFiles)
            if (File.Exists(from + side)) File.Move(from + side, to + side);
    }
}
