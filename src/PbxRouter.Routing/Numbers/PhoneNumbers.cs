namespace PbxRouter.Routing;

/// <summary>Phone number normalisation: French national format (01 45 00 00 00) or international to E.164 (+33145000000).</summary>
public static class PhoneNumbers
{
    /// <summary>Longest E.164 number: '+' and 15 digits.</summary>
    internal const int MaxLength = 16;

    /// <summary>French overseas prefixes: their national numbers are not +33 numbers.</summary>
    private static readonly string[] OverseasPrefixes = ["0262", "0263", "0269", "0590", "0594", "0596", "0639", "0690", "0691", "0692", "0693", "0694", "0696", "0697"];

    /// <summary>Strict form used for rules files: "+33 1 45 00 00 00", "0033145000000", "01 45 00 00 00", "01.45.00.00.00".</summary>
    public static bool TryNormalize(string text, out string e164)
    {
        Span<char> buffer = stackalloc char[MaxLength];
        if (TryNormalize(text, buffer, lenient: false, out var length))
        {
            e164 = new string(buffer[..length]);
            return true;
        }
        e164 = "";
        return false;
    }

    /// <summary>True when the number is written in French national format but belongs to an overseas department.</summary>
    public static bool LooksOverseas(string text)
    {
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        return digits.Length == 10 && OverseasPrefixes.Any(digits.StartsWith);
    }

    /// <summary>"+33145000000" shown the way people write it: "01 45 00 00 00"; other numbers unchanged.</summary>
    public static string ToNational(string e164)
    {
        if (!e164.StartsWith("+33", StringComparison.Ordinal) || e164.Length != 12) return e164;
        var n = "0" + e164[3..];
        return $"{n[..2]} {n[2..4]} {n[4..6]} {n[6..8]} {n[8..10]}";
    }

    /// <summary>
    /// The ways a trunk may send <paramref name="e164"/> that calls still read as this number (the lenient form of
    /// normalisation), E.164 first: for a French number also 0033..., 01..., 331... and 1....
    /// </summary>
    public static IReadOnlyList<string> TrunkForms(string e164)
    {
        if (e164.Length < 2 || e164[0] != '+') return [e164];
        var digits = e164[1..];
        return digits.Length == 11 && digits.StartsWith("33", StringComparison.Ordinal)
            ? [e164, "00" + digits, "0" + digits[2..], digits, digits[2..]]
            : [e164, "00" + digits];
    }

    /// <summary>
    /// Allocation-free normalisation into <paramref name="output"/>. The lenient form (for numbers arriving on calls)
    /// also accepts "33145000000" and "145000000", which some trunks send.
    /// </summary>
    internal static bool TryNormalize(ReadOnlySpan<char> text, Span<char> output, bool lenient, out int length)
    {
        length = 0;
        Span<char> digits = stackalloc char[24];
        var count = 0;
        var plus = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length) return false;
                digits[count++] = c;
            }
            else if (c == '+' && count == 0 && !plus) plus = true;
            else if (c == '(' && i + 2 < text.Length && text[i + 1] == '0' && text[i + 2] == ')') i += 2; // "+33 (0)1 ..."
            else if (c is not (' ' or '.' or '-' or '(' or ')' or '\u00A0' or '\u202F')) return false;
        }
        var number = digits[..count];
        if (!plus && number.StartsWith("00")) { plus = true; number = number[2..]; }
        if (!plus)
        {
            if (number.Length == 10 && number[0] == '0' && number[1] != '0') return Write("33", number[1..], output, out length);
            if (lenient && number.Length == 11 && number.StartsWith("33") && number[2] != '0') return Write("", number, output, out length);
            if (lenient && number.Length == 9 && number[0] != '0') return Write("33", number, output, out length);
            return false;
        }
        if (number.Length is < 8 or > 15 || number[0] == '0') return false;
        if (number.StartsWith("33") && (number.Length != 11 || number[2] == '0')) return false;
        return Write("", number, output, out length);
    }

    private static bool Write(string countryCode, ReadOnlySpan<char> national, Span<char> output, out int length)
    {
        length = 1 + countryCode.Length + national.Length;
        if (length > output.Length) return false;
        output[0] = '+';
        countryCode.AsSpan().CopyTo(output[1..]);
        national.CopyTo(output[(1 + countryCode.Length)..]);
        return true;
    }
}
