using System.Globalization;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Figures;

/// <summary>Call records written by hand for the figures' tests: a start instant, steps at seconds after it, an outcome.</summary>
internal static class CallRecords
{
    public const string Practice = "tilleuls", Number = "+33145000000";

    /// <summary>An instant written in UTC, e.g. "2026-12-01 08:00:00".</summary>
    public static DateTimeOffset Utc(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static (double At, string Kind, string? Target, string? Detail) S(double at, string kind, string? target = null, string? detail = null) =>
        (at, kind, target, detail);

    /// <summary>A patient's call; it ends at its last step (or at its start without steps), unless still in progress (outcome null).</summary>
    public static CallRecord Patient(string id, string startUtc, string? caller, string? outcome, string? answeredBy = null,
        bool withheld = false, string called = Number, string practice = Practice, params (double At, string Kind, string? Target, string? Detail)[] steps)
    {
        var start = Utc(startUtc);
        var list = steps.Select((s, i) => new CallStep(i + 1, start.AddSeconds(s.At), s.Kind, s.Target, s.Detail)).ToList();
        DateTimeOffset? end = outcome is null ? null : list.Count == 0 ? start : list[^1].At;
        return new CallRecord(id, start, practice, called, caller, 3, end, outcome, answeredBy, outcome is null ? null : "caller", list, withheld);
    }

    /// <summary>A call a practice's phone made to <paramref name="called"/>, as the phones' router records it.</summary>
    public static CallRecord PhoneCall(string id, string startUtc, string phone, string called, string outcome, string practice = Practice)
    {
        var start = Utc(startUtc);
        return new CallRecord(id, start, practice, called, Number, 3, start.AddMinutes(2), outcome, outcome == CallOutcomes.Answered ? called : null, phone,
        [
            new CallStep(1, start, CallStepKinds.Entered, phone, $"from phone {phone}: mobile number +336******00, allowed (mobiles), through trunk t1, presenting {Number}"),
            new CallStep(2, start.AddSeconds(1), CallStepKinds.Ringing, called, null),
        ]);
    }

    public static (double, string, string?, string?) Entered(string state = "Open") =>
        S(0, CallStepKinds.Entered, Practice, state switch
        {
            "Open" => "Open: open: Tuesday 08:00-12:30",
            "Lunch" => "Lunch: lunch: Tuesday between 12:30 and 14:00",
            _ => $"{state}: {state.ToLowerInvariant()}",
        });
}
