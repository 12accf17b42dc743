namespace PbxRouter.Calls.Cti;

/// <summary>Which events a consumer gets: its practices (null: every practice, a platform consumer) and whether it sees callers' numbers.</summary>
public sealed record CtiAudience(IReadOnlySet<string>? Practices, bool CallerNumbers)
{
    public bool Sees(string practice) => Practices is null || Practices.Contains(practice);

    public static CtiAudience Everything { get; } = new(null, true);
}

/// <summary>What a consumer reads: an event, or a gap marker where events were left out.</summary>
public readonly record struct CtiDelivery(CtiEvent? Event, long? Dropped, string? GapReason)
{
    public bool IsGap => Event is null;
    public byte[] ToJson() => Event?.ToJson() ?? CtiJson.Gap(Dropped, GapReason ?? "slow");

    /// <summary>The consumer read too slowly: <paramref name="dropped"/> events were left out for it.</summary>
    public static CtiDelivery SlowGap(long dropped) => new(null, dropped, "slow");

    /// <summary>A reconnect whose Last-Event-ID is no longer in the backlog (too old, or from an earlier engine run).</summary>
    public static CtiDelivery ResumeGap(long? dropped) => new(null, dropped, "resume");
}
