using NodaTime;

namespace PbxRouter.Routing.Model;

/// <summary>Weekly time ranges (opening hours, or the after-hours window), several per day allowed.</summary>
public sealed record OpeningHours(IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<TimeRange>> Days, SourceLocation At)
{
    /// <summary>The ranges of one day, sorted by start (empty when closed all day).</summary>
    public IReadOnlyList<TimeRange> On(IsoDayOfWeek day) => Days.TryGetValue(day, out var r) ? r : [];
}

/// <summary>A range of local time within one day, in minutes since midnight (end exclusive, 24:00 = 1440).</summary>
public sealed record TimeRange(int Start, int End, SourceLocation At)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Values.FormatMinutes(Start)}-{Values.FormatMinutes(End)}";
}

/// <summary>Which public holidays close the practice, plus its own dates.</summary>
public sealed record HolidayRules(HolidayCalendar Calendar, IReadOnlyList<CustomHoliday> Extra, SourceLocation At);

/// <summary>A practice's own holiday: one date, or a month-day that comes back every year.</summary>
public sealed record CustomHoliday(LocalDate? Date, AnnualDate? EveryYear, string Name, SourceLocation At);

/// <summary>A closure from one date to another, both included (e.g. two weeks in August).</summary>
public sealed record Closure(LocalDate From, LocalDate To, string Reason, SourceLocation At);

/// <summary>An exceptional opening on a date otherwise closed or with different hours; its ranges replace the day's.</summary>
public sealed record ExceptionalOpening(LocalDate Date, IReadOnlyList<TimeRange> Hours, string? Reason, SourceLocation At);
