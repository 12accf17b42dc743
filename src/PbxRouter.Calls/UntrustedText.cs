using System.Globalization;
using System.Text;

namespace PbxRouter.Calls;

/// <summary>
/// Text a caller chose (caller numbers and names, dialled strings) made safe before it reaches a log line, the
/// terminal of `pbxrouter calls` or a dialplan argument: one line, no control character, bounded length.
/// </summary>
public static class UntrustedText
{
    /// <summary>Longest text shown in a log line or the CLI; longer text is cut and says how long it was.</summary>
    public const int MaxShown = 64;

    /// <summary>Longest called number the dialplan hands to the engine (extensions.conf from-trunk).</summary>
    public const int MaxCalledNumber = 20;

    /// <summary>
    /// One printable line: CR, LF, ESC and every other control character, Unicode line separators and bidirectional
    /// overrides become escapes (\r, \n, \x1B, \u202E), a backslash becomes \\ so escapes cannot be faked; accents stay.
    /// </summary>
    public static string ForDisplay(string? text, int max = MaxShown)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var shown = text.Length > max ? text[..max] : text;
        var safe = new StringBuilder(shown.Length + 8);
        for (var i = 0; i < shown.Length; i++)
        {
            var c = shown[i];
            if (char.IsHighSurrogate(c) && i + 1 < shown.Length && char.IsLowSurrogate(shown[i + 1]))
            {
                safe.Append(c).Append(shown[++i]); // a whole character outside the BMP (an emoji...)
                continue;
            }
            switch (c)
            {
                case '\\': safe.Append(@"\\"); break;
                case '\r': safe.Append(@"\r"); break;
                case '\n': safe.Append(@"\n"); break;
                case '\t': safe.Append(@"\t"); break;
                default:
                    if (IsHidden(c)) safe.Append(c < 0x100 ? $@"\x{(int)c:X2}" : $@"\u{(int)c:X4}");
                    else safe.Append(c);
                    break;
            }
        }
        if (text.Length > max) safe.Append(CultureInfo.InvariantCulture, $"…({text.Length} chars)");
        return safe.ToString();
    }

    /// <summary>The text without any of the characters <see cref="ForDisplay"/> escapes, cut to <paramref name="max"/> (a name passed on to another leg).</summary>
    public static string WithoutControls(string? text, int max)
    {
        if (string.IsNullOrEmpty(text)) return "";
        text = text.Trim();
        var kept = new StringBuilder(Math.Min(text.Length, max));
        for (var i = 0; i < text.Length && kept.Length < max; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (kept.Length + 2 <= max) kept.Append(c).Append(text[i + 1]);
                i++;
            }
            else if (!IsHidden(c)) kept.Append(c);
        }
        return kept.ToString().Trim();
    }

    /// <summary>
    /// The called number as the dialplan keeps it: only '+', '*', '#' and digits, at most <see cref="MaxCalledNumber"/>;
    /// anything else is "" (not a number: the unknown-number refusal).
    /// </summary>
    public static string CalledNumber(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > MaxCalledNumber) return "";
        foreach (var c in text)
            if (!char.IsAsciiDigit(c) && c is not ('+' or '*' or '#')) return "";
        return text;
    }

    /// <summary>True for a caller number that may be presented on an outgoing leg: an optional '+' then 2 to 15 digits.</summary>
    public static bool IsPhoneNumber(string? text)
    {
        if (string.IsNullOrEmpty(text)) return false;
        var digits = text[0] == '+' ? text.AsSpan(1) : text.AsSpan();
        if (digits.Length is < 2 or > 15) return false;
        foreach (var c in digits)
            if (!char.IsAsciiDigit(c)) return false;
        return true;
    }

    /// <summary>Characters a terminal or a log reader would act on or hide: controls, line/paragraph separators, bidi and zero-width marks.</summary>
    private static bool IsHidden(char c) =>
        char.IsControl(c)                          // C0 (incl. ESC), DEL, C1
        || c is '\u2028' or '\u2029'               // line and paragraph separators
        || c is >= '\u202A' and <= '\u202E'        // bidirectional embeddings and overrides
        || c is >= '\u2066' and <= '\u2069'        // bidirectional isolates
        || c is '\u200B' or '\u200E' or '\u200F' or '\uFEFF'
        || char.IsSurrogate(c);                    // half of a pair: not a character
}
