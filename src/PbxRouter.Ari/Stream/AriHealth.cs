namespace PbxRouter.Ari;

/// <summary>State of the event WebSocket.</summary>
public enum AriConnectionState
{
    /// <summary>RunAsync has not started.</summary>
    Disconnected,
    /// <summary>First connection attempt in progress.</summary>
    Connecting,
    Connected,
    /// <summary>The socket was lost (or never came up); waiting for the next attempt or connecting again.</summary>
    Reconnecting,
    /// <summary>RunAsync has ended.</summary>
    Stopped,
}

/// <summary>Snapshot of the event connection's health, for health checks and metrics.</summary>
/// <param name="State">Current state.</param>
/// <param name="Since">When the state was entered.</param>
/// <param name="ReconnectAttempts">Failed attempts since the last successful connection.</param>
/// <param name="LastError">Why the last connection failed or ended, if it did.</param>
public sealed record AriHealth(AriConnectionState State, DateTimeOffset Since, int ReconnectAttempts, string? LastError)
{
    /// <summary>True while events are being received.</summary>
    public bool IsConnected => State == AriConnectionState.Connected;
}
