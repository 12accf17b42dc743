namespace PbxRouter.Store;

/// <summary>What a PIN attempt led to: accepted, wrong with tries left, or the scope locked until a time.</summary>
public sealed record PinVerdict(bool Accepted, int TriesLeft, DateTimeOffset? LockedUntil)
{
    public bool Locked => LockedUntil is not null;
}

/// <summary>One audited PIN attempt (who, on what, whether it was right); the PIN itself is never stored.</summary>
public sealed record PinAttempt(long Id, string Scope, string TriedBy, bool Accepted, DateTimeOffset TriedAt);
