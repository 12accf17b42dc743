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

    /// <summary>SIP header names are RFC 3261 tokens.</summary>
    public static bool IsHeaderName(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "-.!%*_+`'~".Contains(c));
}
