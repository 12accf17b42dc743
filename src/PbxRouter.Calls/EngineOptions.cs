namespace PbxRouter.Calls;

/// <summary>Settings of the call engine (section "Engine" of the configuration).</summary>
public sealed class EngineOptions
{
    /// <summary>Media played to every caller until the routing flows take over.</summary>
    public string GreetingMedia { get; set; } = "sound:pbxrouter/bienvenue";

    /// <summary>Dialplan context that takes calls the engine cannot handle (see extensions.conf).</summary>
    public string FallbackContext { get; set; } = "fallback";

    /// <summary>PJSIP endpoint of the static trunk (pjsip.conf), used when a trunk of the rules is not provisioned.</summary>
    public string DefaultTrunk { get; set; } = "trunk";

    /// <summary>How long a remote secretariat may ring before the next one (or the next step) is tried.</summary>
    public TimeSpan OverflowRingTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the phone a secretary transfers a patient to may ring before the transfer counts as failed.</summary>
    public TimeSpan TransferRingTime { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often messages left on the practices' fallback routes are imported into the voicemail store (also at start).</summary>
    public TimeSpan FallbackVoicemailEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Benchmarks only: before any rules are applied, answer callers with the greeting instead of the fallback route.</summary>
    public bool GreetWithoutRules { get; set; }

    /// <summary>How many finished calls the in-memory journal keeps for status and tests.</summary>
    public int JournalSize { get; set; } = 500;
}
