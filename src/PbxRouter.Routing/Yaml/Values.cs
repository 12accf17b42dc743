using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace PbxRouter.Routing;

/// <summary>Parsers for the small value formats used in the rules: durations, time ranges, dates, names.</summary>
internal static class Values
{
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;

    /// <summary>"20s", "1m", "1m30s", "90" (seconds).</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var s = text.Trim().ToLowerInvariant();
        if (s.Length == 0) return false;
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var plain))
        {
            value = TimeSpan.FromSeconds(plain);
            return true;
        }
        var total = 0;
        var number = -1;
        var sawUnit = false;
        foreach (var c in s)
        {
            if (char.IsAsciiDigit(c)) number = (number < 0 ? 0 : number * 10) + (c - '0');
            else if (number >= 0 && c is 'h' or 'm' or 's')
            {
                total += number * (c switch { 'h' => 3600, 'm' => 60, _ => 1 });
                number = -1;
                sawUnit = true;
            }
            else return false;
            if (total > 86_400 || number > 86_400) return false;
        }
        if (number >= 0 || !sawUnit) return false;
        value = TimeSpan.FromSeconds(total);
        return true;
    }

    /// <summary>"08:00-12:30" to minutes since midnight; 24:00 allowed as an end.</summary>
    public static bool TryParseTimeRange(string text, out int start, out int end)
    {
        start = end = 0;
        var dash = text.IndexOf('-');
        return dash > 0
            && TryParseTime(text[..dash], out start)
            && TryParseTime(text[(dash + 1)..], out end)
            && start < 24 * 60;
    }

    public static bool TryParseTime(string text, out int minutes)
    {
        minutes = 0;
        var parts = text.Trim().Split(':');
        if (parts.Length != 2 || parts[1].Length != 2 || parts[0].Length is < 1 or > 2) return false;
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h)) return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m)) return false;
        if (m > 59 || h > 24 || (h == 24 && m != 0)) return false;
        minutes = h * 60 + m;
        return true;
    }

    public static string FormatMinutes(int minutes) => $"{minutes / 60:00}:{minutes % 60:00}";

    public static bool TryParseDate(string text, out LocalDate date)
    {
        var result = DatePattern.Parse(text.Trim());
        date = result.Success ? result.Value : default;
        return result.Success;
    }

    /// <summary>"12-26" (month-day) for a date that comes back every year.</summary>
    public static bool TryParseAnnualDate(string text, out AnnualDate date)
    {
        date = default;
        var parts = text.Trim().Split('-');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(2024, month))
            return false;
        date = new AnnualDate(month, day);
        return true;
    }

    public static bool IsEnvName(string s) =>
        s.Length > 0 && (char.IsAsciiLetterUpper(s[0]) || s[0] == '_') && s.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_');

    public static bool IsId(string s) =>
        s.Length is > 0 and <= 64 && char.IsAsciiLetterOrDigit(s[0])
        && s.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');

    /// <summary>True when the text holds a line break, a tab or another control character (C0, DEL, C1, U+2028/2029).</summary>
    public static bool HasControlCharacter(string s) => s.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029');

    /// <summary>A SIP server as written into Asterisk's configuration: a host name or IPv4 address, or [IPv6], with an optional :port.
    /// Nothing that could end the value or start a new option or section (';', '[' outside IPv6, spaces, line breaks).</summary>
    public static bool IsSipHost(string s)
    {
        if (s.Length is 0 or > 253) return false;
        var host = s;
        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']');
            if (close < 0 || !System.Net.IPAddress.TryParse(s[1..close], out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return false;
            return close == s.Length - 1 || s[close + 1] == ':' && IsPort(s[(close + 2)..]);
        }
        var colon = s.LastIndexOf(':');
        if (colon >= 0)
        {
            if (!IsPort(s[(colon + 1)..])) return false;
            host = s[..colon];
        }
        return host.Length > 0 && host.Split('.').All(label => label.Length is > 0 and <= 63
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && label[0] != '-' && label[^1] != '-');
    }

    private static bool IsPort(string s) => s.Length is > 0 and <= 5 && s.All(char.IsAsciiDigit) && int.Parse(s, CultureInfo.InvariantCulture) is > 0 and <= 65535;

    /// <summary>A SIP user name (RFC 3261 unreserved characters only: no ';', '[', '@', ':', spaces or line breaks).</summary>
    public static bool IsSipUser(string s) =>
        s.Length is > 0 and <= 128 && s.All(c => char.IsAsciiLetterOrDigit(c) || "-_.!~*'()+".Contains(c));

    /// <summary>A value for an added SIP header: printable, one line, no ';' (parameters) or '[' that could smuggle options.</summary>
    public static bool IsHeaderValue(string s) => s.Length <= 256 && !HasControlCharacter(s) && s.IndexOfAny([';', '[', ']']) < 0;

    /// <summary>
    /// A sip:/sips: URI of characters that cannot end or split Asterisk's Dial() (',' '&amp;' '(' ')' '^'), start a substitution
    /// ('$') or a section ('['), nor break a line: the fallback route's dialplan dials it as it is.
    /// </summary>
    public static bool IsSipUri(string s) =>
        s.Length is > 5 and <= 256 && (s.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) || s.StartsWith("sips:", StringComparison.OrdinalIgnoreCase))
        && s.All(c => char.IsAsciiLetterOrDigit(c) || "@.:_~!*'=;?/%+-".Contains(c));

    /// <summary>SIP header names are RFC 3261 tokens.</summary>
    public static bool IsHeaderName(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "-.!%*_+`'~".Contains(c));
}
