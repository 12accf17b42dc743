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
}
