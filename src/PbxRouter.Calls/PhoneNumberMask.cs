namespace PbxRouter.Calls;

/// <summary>Masks a caller's number for logs: ops see the operator prefix and last digits, not the person.</summary>
public static partial class PhoneNumberMask
{
    /// <summary>Longer than any phone number: shown as its ends and its length, so a 500-character caller ID stays one short line.</summary>
    private const int LongestShownInFull = 16;

    public static string Mask(string? number)
    {
        if (string.IsNullOrEmpty(number)) return "(none)";
        var digits = number.Length;
        if (digits <= 4) return new string('*', digits);
        var keepStart = Math.Min(4, digits - 4);
        var middle = digits <= LongestShownInFull ? new string('*', digits - keepStart - 2) : $"*…*({digits} chars)";
        // The kept ends are the caller's own text: control characters and escapes are neutralised.
        return UntrustedText.ForDisplay(number[..keepStart]) + middle + UntrustedText.ForDisplay(number[^2..]);
    }

    /// <summary>Masks every phone number written inside <paramref name="text"/> ("06 12 34 56 78", "+33612345678": 8 digits or more), for logs.</summary>
    public static string MaskDigits(string text) =>
        NumberInText().Replace(text, m => Mask(new string(m.Value.Where(c => c != ' ').ToArray())));

    [System.Text.RegularExpressions.GeneratedRegex(@"\+?\d(?:\s?\d){7,}")]
    private static partial System.Text.RegularExpressions.Regex NumberInText();
}
