namespace PbxRouter.Calls.Flows.Voicemail;

/// <summary>Settings of voicemail recording (section "Voicemail" of the configuration).</summary>
public sealed class VoicemailOptions
{
    public int MaxDurationSeconds { get; set; } = 180;
    public int MaxSilenceSeconds { get; set; } = 6;

    /// <summary>Messages shorter than this are not kept (the caller hung up at the beep).</summary>
    public int MinDurationSeconds { get; set; } = 1;

    /// <summary>Played before the beep in an urgent box (the 15 for a life-threatening emergency is always said).</summary>
    public string UrgentGreeting { get; set; } = "sound:pbxrouter/messagerie-urgente";

    /// <summary>Played before the beep when the plan did not announce anything just before.</summary>
    public string Greeting { get; set; } = "sound:pbxrouter/messagerie-annonce";

    public string Thanks { get; set; } = "sound:pbxrouter/messagerie-merci";

    /// <summary>The engine's folder of messages' audio; empty: "voicemail" beside the database.</summary>
    public string StoragePath { get; set; } = "";

    /// <summary>Where a message is copied while a phone listens to it, readable by Asterisk; empty: ".voicemail-playback" in the prompts folder.</summary>
    public string PlaybackPath { get; set; } = "";

    /// <summary>The same folder as Asterisk sees it (chroot); empty: ".voicemail-playback" in the prompts folder as Asterisk sees it.</summary>
    public string PlaybackAsteriskPath { get; set; } = "";

    /// <summary>The storage folder, the default resolved beside the database.</summary>
    public string StorageFolder(string databasePath) => string.IsNullOrWhiteSpace(StoragePath)
        ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath)) ?? "/", "voicemail")
        : Path.GetFullPath(StoragePath);

    /// <summary>The playback folder as the engine and as Asterisk see it, the defaults resolved in the prompts folder.</summary>
    public (string Engine, string Asterisk) PlaybackFolders(string promptsFolder, string promptsAsteriskFolder)
    {
        var engine = string.IsNullOrWhiteSpace(PlaybackPath) ? Path.Combine(promptsFolder, ".voicemail-playback") : Path.GetFullPath(PlaybackPath);
        var asterisk = !string.IsNullOrWhiteSpace(PlaybackAsteriskPath) ? PlaybackAsteriskPath.TrimEnd('/')
            : !string.IsNullOrWhiteSpace(PlaybackPath) ? engine
            : $"{promptsAsteriskFolder.TrimEnd('/')}/.voicemail-playback";
        return (engine, asterisk);
    }
}
