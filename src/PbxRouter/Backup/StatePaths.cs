namespace PbxRouter.Backup;

/// <summary>Where the engine keeps its state, as the settings (file + environment) and --db say.</summary>
public sealed record StatePaths(string Database, string Voicemail, string Prompts, string? GeneratedPjsip, string? GeneratedDialplan)
{
    /// <summary>The generated Asterisk files and their names inside a backup (null path: provisioning is off).</summary>
    public IEnumerable<(string? Path, string Entry)> GeneratedAsterisk =>
        [(GeneratedPjsip, "asterisk/pjsip_generated.conf"), (GeneratedDialplan, "asterisk/extensions_generated.conf")];
}
