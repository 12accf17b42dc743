namespace PbxRouter.Backup;

/// <summary>Where the engine keeps its state, as the settings (file + environment) and --db say.</summary>
public sealed record StatePaths(string Database, string Voicemail, string Prompts, string? GeneratedPjsip, string? GeneratedDialplan)
{
    /// <summary>The generated Asterisk files and their names inside a backup (null path: provisioning is off).</summary>
    public IEnumerable<(string? Path, string Entry)> GeneratedAsterisk =>
        [(GeneratedPjsip, "asterisk/pjsip_generated.conf"), (GeneratedDialplan, "asterisk/extensions_generated.conf")];

    /// <summary>The web console's cookie keys (ASP.NET data protection): without them every console login ends after a restore.</summary>
    public string ConsoleKeys => ConsoleKeysBeside(Database);

    /// <summary>The console keeps its cookie keys in console-keys/ beside the database.</summary>
    public static string ConsoleKeysBeside(string database) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(database)) ?? ".", "console-keys");
}
