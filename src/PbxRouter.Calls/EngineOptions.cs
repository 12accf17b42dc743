namespace PbxRouter.Calls;

/// <summary>Settings of the call engine (section "Engine" of the configuration).</summary>
public sealed class EngineOptions
{
    /// <summary>Media played to every caller until the routing flows take over.</summary>
    public string GreetingMedia { get; set; } = "sound:pbxrouter/bienvenue";

    /// <summary>Dialplan context that takes calls the engine cannot handle (see extensions.conf).</summary>
    public string FallbackContext { get; set; } = "fallback";

    /// <summary>How many finished calls the in-memory journal keeps for status and tests.</summary>
    public int JournalSize { get; set; } = 500;
}
