namespace PbxRouter.Calls.Cti;

/// <summary>Section "Cti": the hub's buffers (the consumers' tokens are read by the web side).</summary>
public sealed class CtiOptions
{
    /// <summary>Events kept in memory for reconnects with Last-Event-ID.</summary>
    public int Backlog { get; init; } = 1000;
    /// <summary>Events buffered per consumer before it gets a gap marker instead.</summary>
    public int ConsumerBuffer { get; init; } = 256;
    /// <summary>Calls followed at once; beyond it a new call's events are not published (and logged once).</summary>
    public int MaxCalls { get; init; } = 10_000;

    public IEnumerable<string> Problems()
    {
        if (Backlog is < 0 or > 1_000_000) yield return $"Cti:Backlog {Backlog} is not between 0 and 1000000 events";
        if (ConsumerBuffer is < 1 or > 100_000) yield return $"Cti:ConsumerBuffer {ConsumerBuffer} is not between 1 and 100000 events";
        if (MaxCalls < 1) yield return $"Cti:MaxCalls {MaxCalls} is not 1 or more";
    }
}
