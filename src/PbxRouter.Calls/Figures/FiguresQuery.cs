using NodaTime;

namespace PbxRouter.Calls.Figures;

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
