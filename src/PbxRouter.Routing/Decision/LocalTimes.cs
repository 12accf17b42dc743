using System.Globalization;
using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace PbxRouter.Routing;

/// <summary>Turns a wall-clock time written by a person ("2026-12-25 10:00") into an instant in the practice's zone.</summary>
public static class LocalTimes
{
    private static readonly LocalDateTimePattern[] Patterns =
    [
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm:ss"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm:ss"),
    ];

    /// <summary>Parses "yyyy-MM-dd HH:mm" (or with seconds, or with a T).</summary>
    public static bool TryParse(string text, out LocalDateTime local)
    {
        foreach (var pattern in Patterns)
            if (pattern.Parse(text.Trim()) is { Success: true } result)
            {
                local = result.Value;
                return true;
            }
        local = default;
        return false;
    }

    /// <summary>
    /// The instant of <paramref name="local"/> in <paramref name="zone"/>. A time skipped by the spring change (02:30 on the
    /// last Sunday of March) moves forward by the gap (03:30); a time that happens twice in October takes the first (summer) one.
    /// </summary>
    public static Instant ToInstant(LocalDateTime local, DateTimeZone zone) => zone.ResolveLocal(local, Resolvers.LenientResolver).ToInstant();

    /// <summary>Both instants of an ambiguous local time (one when the time is not ambiguous, none when skipped).</summary>
    public static IReadOnlyList<Instant> AllInstants(LocalDateTime local, DateTimeZone zone)
    {
        var mapping = zone.MapLocal(local);
        return Enumerable.Range(0, mapping.Count).Select(i => i == 0 ? mapping.First().ToInstant() : mapping.Last().ToInstant()).ToList();
    }

    /// <summary>A request for a call at a local time in the zone of the practice owning <paramref name="called"/>.</summary>
    public static CallRequest Request(CompiledRules rules, string called, string caller, LocalDateTime local) =>
        new(called, caller, ToInstant(local, rules.TimeZoneFor(called)));

    /// <summary>Formats an instant as the practice's local time, e.g. "2026-10-25 02:30 +02".</summary>
    public static string Format(Instant instant, DateTimeZone zone) =>
        instant.InZone(zone).ToString("uuuu-MM-dd HH:mm o<+HH>", CultureInfo.InvariantCulture);
}
