using System.Text;

namespace PbxRouter.Watchdog;

/// <summary>
/// The engine's sign of life: a global variable of Asterisk that `pbxrouter serve` rewrites every
/// <see cref="WatchdogOptions.HeartbeatEvery"/> while its ARI WebSocket is connected, and that `pbxrouter watchdog` reads.
/// Only a change of value counts (each process writes "BOOT SEQUENCE"); no clock is compared between the two processes.
/// Asterisk forgets it when it restarts (so do the channels).
/// </summary>
public static class Heartbeat
{
    /// <summary>PBXROUTER_HEARTBEAT_ followed by the engine's Stasis application, anything but [A-Za-z0-9_] as '_'.</summary>
    public static string VariableFor(string application)
    {
        var name = new StringBuilder("PBXROUTER_HEARTBEAT_");
        foreach (var c in application) name.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        return name.ToString();
    }

    public static string Value(string boot, long sequence) => $"{boot} {sequence}";
}
