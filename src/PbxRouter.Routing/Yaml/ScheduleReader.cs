using NodaTime;
using PbxRouter.Routing.Model;
using YamlDotNet.RepresentationModel;

namespace PbxRouter.Routing;

/// <summary>Reads opening hours, holidays, closures and exceptional openings.</summary>
internal static class ScheduleReader
{
    private const string RangeHint = "write ranges as \"08:00-12:30\"; a range cannot cross midnight: split it into \"22:00-24:00\" and \"00:00-06:00\" on the next day";

    private static readonly IReadOnlyDictionary<string, HolidayCalendar> Calendars = new Dictionary<string, HolidayCalendar>
    {
        ["france"] = HolidayCalendar.France, ["alsace-moselle"] = HolidayCalendar.AlsaceMoselle, ["none"] = HolidayCalendar.None,
    }.Concat(OverseasTerritory.All.Select(t => KeyValuePair.Create(t.Key, t.Calendar))).ToDictionary();

    public static OpeningHours? ReadHours(MapReader parent, string key)
    {
        if (!parent.Has(key)) return null;
        var ctx = parent.Ctx;
        var path = parent.FieldPath(key);
        var node = parent.Value(key)!;
        if (node is not YamlMappingNode map)
        {
            ctx.Error(node, path, RuleErrorCodes.WrongType, $"'{key}' must map days to time ranges, found {ReaderContext.Describe(node)}.",
                "e.g. monday-friday: [\"08:00-12:30\", \"14:00-19:00\"]");
            return null;
        }
        var days = new Dictionary<IsoDayOfWeek, IReadOnlyList<TimeRange>>();
        var givenBy = new Dictionary<IsoDayOfWeek, (string Key, int Line)>();
        foreach (var (k, v) in map.Children)
        {
            var spec = (k as YamlScalarNode)?.Value ?? "";
            var dayPath = $"{path}.{spec}";
            if (!TryParseDays(spec, out var covered))
            {
                ctx.Error(k, dayPath, RuleErrorCodes.UnknownField, $"'{spec}' is not a day or a range of days.",
                    (Suggest.DidYouMean(spec, YamlKeys.Days) is { } s ? s + " " : "") + "use monday..sunday, mon..sun, a range such as monday-friday, weekdays, weekend or every_day");
                continue;
            }
            var ranges = ReadRanges(ctx, v, dayPath);
            foreach (var day in covered)
            {
                if (givenBy.TryGetValue(day, out var first))
                {
                    ctx.Error(k, dayPath, RuleErrorCodes.OverlappingTimeRange, $"{day} is already given by '{first.Key}' on line {first.Line}.",
                        "give each day once; put all of a day's ranges in one list");
                    continue;
                }
                givenBy[day] = (spec, (int)k.Start.Line);
                days[day] = ranges;
            }
        }
        return new OpeningHours(days, ctx.At(node, path));
    }

    /// <summary>A list of "HH:MM-HH:MM" ranges, checked for inversion and overlap, returned sorted.</summary>
    public static IReadOnlyList<TimeRange> ReadRanges(ReaderContext ctx, YamlNode node, string path)
    {
        var items = node switch
        {
            YamlSequenceNode seq => seq.Children.Select((n, i) => (n, $"{path}[{i}]")).ToList(),
            YamlScalarNode s when ReaderContext.IsNull(s) || s.Value is "closed" => [],
            _ => [(node, path)],
        };
        var ranges = new List<TimeRange>();
        foreach (var (item, itemPath) in items)
        {
            if (MapReader.ScalarOf(ctx, item, itemPath, RangeHint) is not { } text) continue;
            if (!Values.TryParseTimeRange(text.Value, out var start, out var end))
                ctx.Diagnostics.Error(text.At, RuleErrorCodes.InvalidValue, $"'{text.Value}' is not a time range.", RangeHint);
            else if (start >= end)
                ctx.Diagnostics.Error(text.At, RuleErrorCodes.InvertedTimeRange, $"'{text.Value}' ends before it starts.", RangeHint);
            else
                ranges.Add(new TimeRange(start, end, text.At));
        }
        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < ranges.Count; i++)
            if (ranges[i].Start < ranges[i - 1].End)
                ctx.Diagnostics.Error(ranges[i].At, RuleErrorCodes.OverlappingTimeRange, $"'{ranges[i]}' overlaps '{ranges[i - 1]}'.",
                    "ranges of one day must not overlap; merge them into one range");
        return ranges;
    }

    public static bool TryParseDays(string spec, out IReadOnlyList<IsoDayOfWeek> days)
    {
        days = spec switch
        {
            "weekdays" => Range(IsoDayOfWeek.Monday, IsoDayOfWeek.Friday),
            "weekend" => Range(IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday),
            "every_day" => Range(IsoDayOfWeek.Monday, IsoDayOfWeek.Sunday),
            _ => [],
        };
        if (days.Count > 0) return true;
        var dash = spec.IndexOf('-');
        if (dash < 0) return TryDay(spec, out var single) && (days = [single]).Count == 1;
        if (!TryDay(spec[..dash], out var from) || !TryDay(spec[(dash + 1)..], out var to) || to < from) return false;
        days = Range(from, to);
        return true;
    }

    private static IsoDayOfWeek[] Range(IsoDayOfWeek from, IsoDayOfWeek to) =>
        Enumerable.Range((int)from, to - from + 1).Select(d => (IsoDayOfWeek)d).ToArray();

    private static bool TryDay(string text, out IsoDayOfWeek day)
    {
        var i = Array.IndexOf(YamlKeys.Days, text);
        day = i is >= 0 and < 14 ? (IsoDayOfWeek)(i % 7 + 1) : IsoDayOfWeek.None;
        return day != IsoDayOfWeek.None;
    }

    public static HolidayRules? ReadHolidays(MapReader parent)
    {
        if (parent.Map("holidays", "holidays", YamlKeys.Holidays) is not { } r) return null;
        var calendar = r.Choice("calendar", HolidayCalendar.France, Calendars);
        var extra = r.List("extra", (n, p) => ReadCustomHoliday(r.Ctx, n, p));
        return new HolidayRules(calendar, extra, r.At);
    }

    private static CustomHoliday? ReadCustomHoliday(ReaderContext ctx, YamlNode node, string path)
    {
        if (MapReader.Open(ctx, node, path, "a holiday", YamlKeys.CustomHoliday) is not { } r) return null;
        var name = r.Text("name") ?? "practice holiday";
        if (r.Scalar("every_year") is { } annual)
        {
            if (Values.TryParseAnnualDate(annual.Value, out var a)) return new CustomHoliday(null, a, name, r.At);
            ctx.Diagnostics.Error(annual.At, RuleErrorCodes.InvalidValue, $"'{annual.Value}' is not a month-day.", "write every_year: \"05-27\" (month-day)");
            return null;
        }
        return ReadDate(r, "date", "write date: 2026-05-15, or every_year: \"05-27\" for a yearly date") is { } d ? new CustomHoliday(d, null, name, r.At) : null;
    }

    public static Closure? ReadClosure(ReaderContext ctx, YamlNode node, string path)
    {
        if (MapReader.Open(ctx, node, path, "a closure", YamlKeys.Closure) is not { } r) return null;
        var from = ReadDate(r, "from", "first closed day, e.g. from: 2026-08-03");
        var to = ReadDate(r, "to", "last closed day (included), e.g. to: 2026-08-16");
        var reason = r.Text("reason") ?? "closure";
        if (from is null || to is null) return null;
        if (to < from)
        {
            ctx.Diagnostics.Error(r.FieldAt("to"), RuleErrorCodes.InvertedTimeRange, $"the closure ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).",
                "swap from and to; both days are included");
            return null;
        }
        return new Closure(from.Value, to.Value, reason, r.At);
    }

    public static ExceptionalOpening? ReadExceptionalOpening(ReaderContext ctx, YamlNode node, string path)
    {
        if (MapReader.Open(ctx, node, path, "an exceptional opening", YamlKeys.ExceptionalOpening) is not { } r) return null;
        var date = ReadDate(r, "date", "e.g. date: 2026-12-24");
        if (!r.Has("hours")) r.Missing("hours", "e.g. hours: [\"08:00-12:00\"]");
        var hours = r.Has("hours") ? ReadRanges(ctx, r.Value("hours")!, r.FieldPath("hours")) : [];
        return date is null ? null : new ExceptionalOpening(date.Value, hours, r.Text("reason"), r.At);
    }

    private static LocalDate? ReadDate(MapReader r, string key, string hint)
    {
        if (r.Scalar(key, required: true, hint) is not { } text) return null;
        if (Values.TryParseDate(text.Value, out var date)) return date;
        r.Ctx.Diagnostics.Error(text.At, RuleErrorCodes.InvalidValue, $"'{text.Value}' is not a date.", "write dates as YYYY-MM-DD, e.g. 2026-08-03");
        return null;
    }
}
