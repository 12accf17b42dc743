using System.Globalization;
using PbxRouter.Calls;
using PbxRouter.Calls.Figures;

namespace PbxRouter.Cli;

/// <summary>
/// A practice's figures as CSV in long form, one value a row (section,key,measure,value), so one file holds every table and
/// a spreadsheet's pivot table or a chart tool takes any part of it (docs/figures.md "CSV").
/// </summary>
internal static class ReportCsv
{
    public static void Write(TextWriter o, PracticeFigures f)
    {
        o.WriteLine("section,key,measure,value");
        void Row(string section, string key, string measure, object? value) =>
            o.WriteLine(string.Join(',', Cell(section), Cell(key), Cell(measure), Cell(Text(value))));
        void Share(string section, string key, Share s)
        {
            Row(section, key, "count", s.Count);
            Row(section, key, "of", s.Of);
            Row(section, key, "rate", s.Rate);
        }
        Row("period", f.PracticeId, "from", f.From);
        Row("period", f.PracticeId, "to", f.To);
        Row("period", f.PracticeId, "time_zone", f.TimeZone);
        Row("period", f.PracticeId, "line", f.Line ?? "all");
        Row("period", f.PracticeId, "service_level_seconds", f.ServiceLevelSeconds);
        Row("period", f.PracticeId, "abandon_after_seconds", f.AbandonAfterSeconds);
        Row("summary", "calls", "count", f.Calls);
        Row("summary", "offered", "count", f.Offered);
        foreach (var n in f.ByNumber) Row("number", n.Key, "calls", n.Calls);
        var o2 = f.Outcomes;
        foreach (var (key, count) in new[]
                 {
                     ("practice", o2.Practice), ("secretariat", o2.Secretariat), ("voicemail", o2.Voicemail), ("abandoned", o2.Abandoned),
                     ("short-hang-up", o2.ShortHangUps), ("refused", o2.Refused), ("interrupted", o2.Interrupted), ("fallback", o2.Fallback),
                     ("other", o2.Other), ("in-progress", o2.InProgress),
                 })
            Row("outcome", key, "count", count);
        Share("service_level", $"{f.ServiceLevelSeconds}s", f.ServiceLevel);
        Row("answer_time", "seconds", "calls", f.AnswerTimes.Calls);
        Row("answer_time", "seconds", "average", f.AnswerTimes.AverageSeconds);
        Row("answer_time", "seconds", "p90", f.AnswerTimes.P90Seconds);
        Share("abandoned", "all", f.Abandoned);
        Share("overflow", "sent", f.Overflow.Sent);
        Row("overflow", "answered_there", "count", f.Overflow.AnsweredThere);
        foreach (var r in f.Overflow.Reasons) Row("overflow_reason", r.Key, "count", r.Calls);
        Row("urgent", "calls", "count", f.Urgent.Calls);
        Row("urgent", "not_taken", "count", f.Urgent.NotTaken);
        foreach (var t in f.Urgent.TakenBy) Row("urgent_taken_by", t.Key, "count", t.Calls);
        Row("voicemail", "left", "count", f.Voicemails.Left);
        foreach (var b in f.Voicemails.ByBox) Row("voicemail_box", b.Key, "count", b.Calls);
        foreach (var h in f.ByHour)
        {
            Row("hour", h.Hour.ToString("00", CultureInfo.InvariantCulture), "calls", h.Calls);
            Row("hour", h.Hour.ToString("00", CultureInfo.InvariantCulture), "answered", h.Answered);
            Row("hour", h.Hour.ToString("00", CultureInfo.InvariantCulture), "abandoned", h.Abandoned);
        }
        foreach (var d in f.ByDay)
        {
            var day = Text(d.Date);
            Row("day", day, "calls", d.Calls);
            Row("day", day, "answered", d.Answered);
            Row("day", day, "abandoned", d.Abandoned);
            Row("day", day, "overflowed", d.Overflowed);
            Row("day", day, "voicemail", d.Voicemail);
        }
        foreach (var c in f.AbandonedCallers)
        {
            var key = c.Number ?? (c.Withheld ? "withheld" : "no number");
            Row("abandoned_caller", key, "calls", c.Calls);
            Row("abandoned_caller", key, "last", c.Last);
            Row("abandoned_caller", key, "called_back", c.CalledBack?.At);
            Row("abandoned_caller", key, "called_again", c.CalledAgain?.At);
            Row("abandoned_caller", key, "to_call_back", c.ToCallBack);
        }
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset at => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// One line without control characters (escaped as `calls` does), quoted when needed (RFC 4180); text a spreadsheet would
    /// run as a formula (=, +, -, @ first) gets a leading apostrophe, except plain numbers (+33612345678, -1): callers'
    /// numbers come from outside.
    /// </summary>
    private static string Cell(string text)
    {
        text = UntrustedText.ForDisplay(text, 200);
        if (text.Length > 0 && "=+-@\t\r".Contains(text[0]) && !IsPlainNumber(text)) text = "'" + text;
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
    }

    private static bool IsPlainNumber(string text) => text.Length > 1 && text[1..].All(c => char.IsAsciiDigit(c) || c == '.');
}
