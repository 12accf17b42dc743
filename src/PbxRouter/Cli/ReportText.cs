using System.Globalization;
using PbxRouter.Calls;
using PbxRouter.Calls.Figures;

namespace PbxRouter.Cli;

/// <summary>A practice's figures as compact text: the figures, then calls by hour and by day as histograms, then who to call back.</summary>
internal static class ReportText
{
    private const int BarWidth = 40;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(TextWriter o, string practiceName, PracticeFigures f)
    {
        string T(string? text) => UntrustedText.ForDisplay(text, 60);
        o.WriteLine($"{T(practiceName)} ({f.PracticeId}), {(f.Line is null ? "all numbers" : $"calls to {f.Line}")}, " +
                    $"{f.From:yyyy-MM-dd} to {f.To:yyyy-MM-dd} ({f.TimeZone})");
        if (f.Calls == 0)
        {
            o.WriteLine("No call in this period.");
            return;
        }
        var split = f.Outcomes;
        o.WriteLine($"Calls               {f.Calls,5}   offered {f.Offered} (not counting refused calls, hang-ups under {f.AbandonAfterSeconds} s, calls in progress)");
        if (f.ByNumber.Count > 1)
            o.WriteLine($"  by number called  {string.Join(", ", f.ByNumber.Select(n => $"{T(n.Key)}: {n.Calls}"))}");
        foreach (var (what, count) in new[]
                 {
                     ("answered at the practice", split.Practice), ("answered by the secretariat", split.Secretariat), ("voicemail", split.Voicemail),
                     ("abandoned", split.Abandoned), ($"hung up under {f.AbandonAfterSeconds} s", split.ShortHangUps), ("refused", split.Refused),
                     ("interrupted (engine stopped)", split.Interrupted), ("fallback route", split.Fallback), ("other", split.Other),
                     ("in progress", split.InProgress),
                 }.Where(x => x.Item2 > 0))
            o.WriteLine($"  {what,-28}{count,5}  {Percent(new Share(count, f.Calls))}");
        o.WriteLine($"Service level       {Percent(f.ServiceLevel),7}  {f.ServiceLevel.Count} of {f.ServiceLevel.Of} answered within {f.ServiceLevelSeconds} s");
        o.WriteLine(f.AnswerTimes.Calls == 0 ? "Time to answer      no call answered"
            : $"Time to answer      average {Seconds(f.AnswerTimes.AverageSeconds)}, 90 % within {Seconds(f.AnswerTimes.P90Seconds)} ({f.AnswerTimes.Calls} calls)");
        o.WriteLine($"Abandon rate        {Percent(f.Abandoned),7}  {f.Abandoned.Count} of {f.Abandoned.Of}");
        o.WriteLine($"Overflow rate       {Percent(f.Overflow.Sent),7}  {f.Overflow.Sent.Count} of {f.Overflow.Sent.Of} to the secretariat, {f.Overflow.AnsweredThere} answered there");
        foreach (var reason in f.Overflow.Reasons)
            o.WriteLine($"  {OverflowReasons.Describe(reason.Key),-40}{reason.Calls,5}");
        o.WriteLine($"Urgent calls        {f.Urgent.Calls,5}" + (f.Urgent.Calls == 0 ? "" :
            $"   {string.Join(", ", f.Urgent.TakenBy.Select(t => $"taken by {T(t.Key)}: {t.Calls}").Append($"not taken: {f.Urgent.NotTaken}"))}"));
        o.WriteLine($"Voicemails left     {f.Voicemails.Left,5}" + (f.Voicemails.Left == 0 ? "" :
            $"   {string.Join(", ", f.Voicemails.ByBox.Select(b => $"{T(b.Key)}: {b.Calls}"))}"));

        o.WriteLine();
        o.WriteLine("Calls by hour (local time; answered / abandoned)");
        var hours = f.ByHour.Where(h => h.Calls > 0).ToList();
        var scale = Math.Max(f.ByHour.Max(h => h.Calls), f.ByDay.Max(d => d.Calls));
        foreach (var h in f.ByHour.Where(h => h.Hour >= hours[0].Hour && h.Hour <= hours[^1].Hour))
            o.WriteLine($"  {h.Hour:00}h {h.Calls,5} {Bar(h.Calls, scale),-BarWidth}  {h.Answered} / {h.Abandoned}");
        o.WriteLine("Calls by day (answered / abandoned)");
        foreach (var d in f.ByDay)
            o.WriteLine($"  {d.Date.ToString("ddd yyyy-MM-dd", Invariant)} {d.Calls,5} {Bar(d.Calls, scale),-BarWidth}  {d.Answered} / {d.Abandoned}");

        if (f.AbandonedCallers.Count == 0) return;
        o.WriteLine();
        o.WriteLine($"Callers who gave up ({f.AbandonedCallers.Count}; {f.AbandonedCallers.Count(c => c.ToCallBack)} to call back)");
        foreach (var c in f.AbandonedCallers)
        {
            var who = c.Number is { } n ? T(n) : c.Withheld ? "withheld" : "no number";
            var calls = c.Calls == 1 ? $"1 call {When(c.Last)}" : $"{c.Calls} calls, {When(c.First)} to {When(c.Last)}";
            var then = c.CalledBack is { } back ? $"; called back by {T(back.By)} {When(back.At)} ({T(back.Outcome)})"
                : c.CalledAgain is { } again ? $"; called again {When(again.At)} ({T(again.Outcome)}{(again.By is null ? "" : $", {T(again.By)}")})"
                : c.Number is null ? ": cannot be called back" : "";
            o.WriteLine($"  {(c.ToCallBack ? "TO CALL BACK" : ""),-12}  {who,-16} {calls}{then}");
        }
    }

    private static string Percent(Share share) => share.Rate is { } rate ? (rate * 100).ToString("0.0", Invariant) + " %" : "-";

    private static string Seconds(double? seconds) => seconds is { } s ? s.ToString("0.0", Invariant) + " s" : "-";

    private static string When(DateTimeOffset at) => at.ToString("ddd dd/MM HH:mm", Invariant);

    private static string Bar(int count, int max) => count == 0 || max == 0 ? "" : new string('#', Math.Max(1, (int)Math.Round((double)count * BarWidth / max)));
}
