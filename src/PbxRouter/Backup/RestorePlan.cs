namespace PbxRouter.Backup;

/// <summary>One place a restore writes: the database file, the voicemail or prompts folder, or a generated Asterisk file.</summary>
public sealed record RestoreTarget(string Target, string Entry, bool IsFolder)
{
    /// <summary>Whether something is there already (an empty folder does not count).</summary>
    public bool IsOccupied => IsFolder ? Directory.Exists(Target) && Directory.EnumerateFileSystemEntries(Target).Any() : File.Exists(Target);
}

/// <summary>What a backup would replace, given where the settings say the engine keeps its state.</summary>
public sealed record RestorePlan(IReadOnlyList<RestoreTarget> Targets, IReadOnlyList<string> NotRestored)
{
    public static RestorePlan Of(StatePaths paths, BackupManifest manifest)
    {
        var targets = new List<RestoreTarget> { new(paths.Database, BackupManifest.DatabaseEntry, false) };
        if (manifest.Holds("voicemail")) targets.Add(new(paths.Voicemail, "voicemail", true));
        if (manifest.Holds("prompts")) targets.Add(new(paths.Prompts, "prompts", true));
        var notRestored = new List<string>();
        foreach (var (target, entry) in paths.GeneratedAsterisk)
        {
            if (!manifest.Files.Any(f => f.Path == entry)) continue;
            // A file there already is the engine's own (with its passwords): keep it; the engine rewrites it when it connects.
            if (target is null || File.Exists(target)) notRestored.Add(entry);
            else targets.Add(new(target, entry, false));
        }
        return new RestorePlan(targets, notRestored);
    }

    /// <summary>The targets that exist already: a restore over them needs --force.</summary>
    public List<string> Occupied => Targets.Where(t => t.IsOccupied).Select(t => t.Target).ToList();
}
