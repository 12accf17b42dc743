using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>Feature codes, extensions and emergency numbers share one dial plan: none may equal or be a prefix of another.</summary>
internal static class FeatureCodeChecks
{
    private sealed record Entry(string Dial, string What, SourceLocation? At);

    public static void Check(Practice practice, Diagnostics d)
    {
        var entries = new List<Entry>();
        foreach (var code in practice.FeatureCodes?.Codes ?? [])
            entries.Add(new Entry(code.Code.Value, $"feature code '{code.Code.Value}'", code.Code.At));
        foreach (var phone in practice.Phones)
            if (phone.Extension is { } ext) entries.Add(new Entry(ext.Value, $"extension {ext.Value} of phone '{phone.Id.Value}'", ext.At));
        foreach (var n in practice.Numbers.Concat(practice.Lines.SelectMany(l => l.Numbers)))
            if (n.Value.StartsWith("+33", StringComparison.Ordinal)) entries.Add(new Entry("0" + n.Value[3..], $"the practice's number {PhoneNumbers.ToNational(n.Value)}", null));
        entries.AddRange(OutgoingNumbers.Emergency.Select(e => new Entry(e, $"emergency number {e}", null)));
        entries.Add(new Entry(PickupDecision.Code, $"the call pickup code {PickupDecision.Code}", null));

        for (var i = 0; i < entries.Count; i++)
        {
            var a = entries[i];
            if (a.At is null) continue; // only written entries are reported, at their own place
            // the same dial string twice is reported once, at the later entry
            var same = entries.Where((b, j) => j != i && b.Dial == a.Dial && (j < i || b.At is null)).ToList();
            var longer = entries.Where(b => b.Dial != a.Dial && b.Dial.StartsWith(a.Dial, StringComparison.Ordinal)).ToList();
            var shorterFixed = entries.Where(b => b.At is null && b.Dial != a.Dial && a.Dial.StartsWith(b.Dial, StringComparison.Ordinal)).ToList();
            if (same.Count > 0)
                d.Error(a.At, RuleErrorCodes.FeatureCodeCollision, $"{a.What} is the same as {List(same)}.",
                    "each code and extension must be unique in the practice; pick another one");
            if (longer.Count > 0)
                d.Error(a.At, RuleErrorCodes.FeatureCodePrefix, $"{a.What} is a prefix of {List(longer)}: dialling it would never reach the longer one.",
                    longer.Any(b => b.At is null) ? "phones must still dial those numbers; start feature codes with * or #" : "make the codes the same length or change one of them");
            if (shorterFixed.Count > 0)
                d.Error(a.At, RuleErrorCodes.FeatureCodePrefix, $"{List(shorterFixed)} is a prefix of {a.What}: the phone would dial it before the code is complete.",
                    "start feature codes with * or #");
        }

        foreach (var code in practice.FeatureCodes?.Codes ?? [])
            if (code.Code.Value.StartsWith("#31#", StringComparison.Ordinal))
                d.Warn(code.Code.At, RuleErrorCodes.Suspicious, "#31# masks the caller ID on French networks.", "choose another code");
        CheckPins(practice, d);
    }

    private static string List(IEnumerable<Entry> entries) =>
        string.Join(", ", entries.Select(e => e.At is null ? e.What : $"{e.What} (at {e.At.Short})"));

    private static void CheckPins(Practice practice, Diagnostics d)
    {
        // Listening to a box is gated by the box (its owner_phones, its pin_env), not by the feature codes' PIN.
        if (practice.FeatureCodes is not { } codes || !codes.Codes.Any(c => c.Action != FeatureAction.Voicemail) || codes.PinEnv is not null) return;
        var trusted = codes.WithoutPin.Select(p => p.Value).ToHashSet();
        var others = practice.Phones.Where(p => !trusted.Contains(p.Id.Value)).Select(p => p.Id.Value).ToList();
        if (others.Count > 0)
            d.Warn(codes.At, RuleErrorCodes.Unreachable, $"without pin_env, the feature codes cannot be used from {string.Join(", ", others)}.",
                "add pin_env: VARIABLE_NAME so the doctors can use them from any phone with their PIN");
    }
}
