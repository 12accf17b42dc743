namespace PbxRouter.Watchdog;

/// <summary>
/// Settings of `pbxrouter watchdog` (section "Watchdog"). <see cref="HeartbeatEvery"/> is read by `pbxrouter serve` too:
/// the engine writes its heartbeat that often, so both must read the same settings.
/// </summary>
public sealed class WatchdogOptions
{
    /// <summary>The watchdog's own Stasis application (its event WebSocket; no call is ever routed to it).</summary>
    public string Application { get; set; } = "pbxrouter-watchdog";

    /// <summary>How long the engine's heartbeat must stand still, observed without a gap, before callers are moved.</summary>
    public TimeSpan Bound { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often the watchdog reads the heartbeat.</summary>
    public TimeSpan PollEvery { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the engine writes its heartbeat while its ARI WebSocket is connected.</summary>
    public TimeSpan HeartbeatEvery { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Dialplan context for phones (internal calls, feature codes) the engine left in Stasis (extensions.conf).</summary>
    public string PhoneFallbackContext { get; set; } = "fallback-phones";

    /// <summary>What is wrong with these settings (empty when they can be used).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (PollEvery <= TimeSpan.Zero) problems.Add($"Watchdog:PollEvery must be positive (got {PollEvery})");
        if (HeartbeatEvery <= TimeSpan.Zero) problems.Add($"Watchdog:HeartbeatEvery must be positive (got {HeartbeatEvery})");
        // A bound shorter than a few heartbeats would take a live engine for a dead one.
        if (Bound < 3 * HeartbeatEvery + PollEvery)
            problems.Add($"Watchdog:Bound ({Bound}) must be at least 3 x Watchdog:HeartbeatEvery + Watchdog:PollEvery ({3 * HeartbeatEvery + PollEvery})");
        if (string.IsNullOrWhiteSpace(Application)) problems.Add("Watchdog:Application must not be empty");
        if (string.IsNullOrWhiteSpace(PhoneFallbackContext)) problems.Add("Watchdog:PhoneFallbackContext must not be empty");
        return problems;
    }
}
