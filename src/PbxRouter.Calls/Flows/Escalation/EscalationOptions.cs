namespace PbxRouter.Calls.Flows.Escalation;

/// <summary>Settings of the urgent escalation (section "Escalation" of the configuration).</summary>
public sealed class EscalationOptions
{
    /// <summary>How long a mobile that answered has to press the screening key; its own voicemail never does.</summary>
    public TimeSpan ScreeningTime { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>When set, the trunk endpoint every mobile is dialled through, whatever the practice's trunk.</summary>
    public string Trunk { get; set; } = "";

    /// <summary>Trunk endpoint used when the practice names none (the IP-identified trunk of pjsip.conf).</summary>
    public string DefaultTrunk { get; set; } = "trunk";

    /// <summary>Music-on-hold class the patient hears between the reassuring message and the doctor.</summary>
    public string MusicClass { get; set; } = "default";

    /// <summary>Told to the patient when the escalation starts.</summary>
    public string PatientPrompt { get; set; } = "sound:pbxrouter/urgence-attente";

    /// <summary>Told to the doctor's mobile when it answers (screening key 1); other keys use <see cref="ScreeningPromptAnyKey"/>.</summary>
    public string ScreeningPrompt { get; set; } = "sound:pbxrouter/urgence-filtrage";

    /// <summary>"{0}" is replaced by the key: e.g. sound:pbxrouter/urgence-appel,digits:{0},sound:pbxrouter/urgence-prendre.</summary>
    public string ScreeningPromptAnyKey { get; set; } = "sound:pbxrouter/urgence-appel,digits:{0},sound:pbxrouter/urgence-prendre";
}
