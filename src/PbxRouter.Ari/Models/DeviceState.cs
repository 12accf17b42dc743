namespace PbxRouter.Ari;

/// <summary>State of a device, e.g. Stasis:reception = INUSE (deviceStates.json "DeviceState").</summary>
public sealed record DeviceState
{
    public string Name { get; init => field = value ?? ""; } = "";
    /// <summary>UNKNOWN, NOT_INUSE, INUSE, BUSY, INVALID, UNAVAILABLE, RINGING, RINGINUSE, ONHOLD.</summary>
    public string State { get; init => field = value ?? ""; } = "";
}
