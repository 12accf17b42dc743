namespace PbxRouter.Routing;

/// <summary>Loads rules files from disk: one YAML file, or every *.yaml / *.yml under a folder (sorted, subfolders included).</summary>
public static class RulesSource
{
    /// <summary>Reads <paramref name="path"/>; throws <see cref="FileNotFoundException"/> when nothing is there.</summary>
    public static IReadOnlyList<RulesFile> Load(string path)
    {
        if (File.Exists(path)) return [new RulesFile(path, File.ReadAllText(path))];
        if (!Directory.Exists(path)) throw new FileNotFoundException($"no rules file or folder at '{path}'", path);
        var files = Directory.EnumerateFiles(path, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => Path.GetRelativePath(path, f), StringComparer.Ordinal)
            .Select(f => new RulesFile(f, File.ReadAllText(f)))
            .ToList();
        return files.Count > 0 ? files : throw new FileNotFoundException($"no *.yaml or *.yml file in '{path}'", path);
    }
}
