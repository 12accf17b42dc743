using NodaTime;

namespace PbxRouter.Calls.Figures;

/// <summary>
/// The thresholds of a practice's figures (docs/figures.md): answered in time within <see cref="ServiceLevel"/>; a caller
/// who hangs up before <see cref="AbandonAfter"/> is not counted as abandoned; an abandoned caller counts as called back
/// when one of the practice's phones calls their number within <see cref="CallBackWithin"/>.
/// </summary>
public sealed record FiguresSettings(TimeSpan ServiceLevel, TimeSpan AbandonAfter, TimeSpan CallBackWithin)
{
    public static readonly TimeSpan DefaultServiceLevel = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan DefaultAbandonAfter = TimeSpan.FromSeconds(5);
    /// <summary>Three days: a caller who gave up on a Friday evening is called back on Monday morning.</summary>
    public static readonly TimeSpan DefaultCallBackWithin = TimeSpan.FromDays(3);

    public static readonly FiguresSettings Default = new(DefaultServiceLevel, DefaultAbandonAfter, DefaultCallBackWithin);
}

/// <summary>
/// What a report covers: one practice's patient calls (optionally only those to one of its numbers, <see cref="Line"/>, in
/// E.164) started from the start of <see cref="From"/> to the end of <see cref="To"/> (inclusive), days of the practice's
/// time zone.
/// </summary>
public sealed record FiguresQuery(string PracticeId, LocalDate From, LocalDate To, DateTimeZone Zone, string? Line = null)
{
    /// <summary>The first instant of the period: midnight of <see cref="From"/> where the practice is (or the first instant after it, on a daylight-saving day that skips midnight).</summary>
    public Instant Start => From.AtStartOfDayInZone(Zone).ToInstant();

    /// <summary>The first instant after the period.</summary>
    public Instant End => To.PlusDays(1).AtStartOfDayInZone(Zone).ToInstant();

    /// <summary>The practice's wall-clock time at <paramref name="at"/>.</summary>
    public ZonedDateTime Local(DateTimeOffset at) => Instant.FromDateTimeOffset(at).InZone(Zone);
}
