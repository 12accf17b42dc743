namespace PbxRouter.Hosting;

/// <summary>A clock that starts at a chosen instant and runs forward in real time (`serve --clock-start`); timers stay real.</summary>
public sealed class PinnedClock(DateTimeOffset start, TimeProvider? real = null) : TimeProvider
{
    private readonly TimeProvider _real = real ?? System;
    private readonly long _startedAt = (real ?? System).GetTimestamp();

    public override DateTimeOffset GetUtcNow() => start.ToUniversalTime() + _real.GetElapsedTime(_startedAt);

    public override TimeZoneInfo LocalTimeZone => _real.LocalTimeZone;
}
