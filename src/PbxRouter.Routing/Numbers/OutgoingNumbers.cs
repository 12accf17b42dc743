using PhoneNumbers;

namespace PbxRouter.Routing;

/// <summary>What kind of outside number a phone dialled, for the practice's outgoing policy.</summary>
public enum NumberKind
{
    /// <summary>15, 17, 18, 112, 114, 115, 116 117, 119, 191, 196, 197: always allowed.</summary>
    Emergency,
    /// <summary>French fixed, non-geographic, free and shared-cost numbers (01-05, 09, 080-088), overseas departments' too.</summary>
    National,
    /// <summary>French mobiles (06, 07), overseas departments' too.</summary>
    Mobile,
    /// <summary>Another country's number.</summary>
    International,
    /// <summary>Premium-rate numbers (08 9x) and short numbers (3949, 118 712, 10xx...).</summary>
    Premium,
    /// <summary>Not a number a trunk can dial.</summary>
    Invalid,
}

/// <summary>A dialled number classified: its kind, the form the trunk is given (E.164, or the short number as dialled), and why.</summary>
public sealed record DialledNumber(string Dialled, NumberKind Kind, string? Destination, string Why);

/// <summary>
/// Classifies numbers dialled from a practice's phones (libphonenumber's French and overseas metadata): "0X XX XX XX XX",
/// "+CC...", "00CC..." and short numbers. The national formats are turned into E.164 for the trunk (the form the carrier
/// expects, as on the overflow and secretariat legs); overseas departments' national numbers (0262, 0590, 0696...) get
/// their own country code (+262 262...).
/// </summary>
public static class OutgoingNumbers
{
    /// <summary>French emergency and on-call numbers every phone can always dial, as dialled and sent to the trunk.</summary>
    public static readonly IReadOnlyList<string> Emergency = ["15", "17", "18", "112", "114", "115", "116117", "119", "191", "196", "197"];

    /// <summary>Overseas departments (and Mayotte, Saint-Barthélemy, Saint-Martin) whose numbers are French national numbers.</summary>
    private static readonly string[] Overseas = ["RE", "YT", "GP", "BL", "MF", "GF", "MQ"];

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private static readonly ShortNumberInfo Short = ShortNumberInfo.GetInstance();

    public static DialledNumber Classify(string dialled)
    {
        var text = dialled.Trim();
        if (Emergency.Contains(text)) return new(text, NumberKind.Emergency, text, $"emergency number {text}");
        if (text.Length is 0 or > 20 || !text.All(c => char.IsAsciiDigit(c) || c == '+') || text.LastIndexOf('+') > 0)
            return Invalid(text, "not a phone number");
        if (!text.StartsWith('+') && !text.StartsWith('0'))
        {
            // Short numbers (3949, 118712, 1010...): libphonenumber's French short-number list, all premium here.
            return text.Length <= 6 && Parse(text, "FR") is { } shortNumber && Short.IsValidShortNumberForRegion(shortNumber, "FR")
                ? new(text, NumberKind.Premium, text, $"short number {text}")
                : Invalid(text, "not a phone number (an outside number starts with 0, 00 or +)");
        }
        if (Parse(text, "FR") is not { } number) return Invalid(text, "not a phone number");
        if (number.CountryCode == 33 && !text.StartsWith('+') && !text.StartsWith("00", StringComparison.Ordinal) && !Util.IsValidNumber(number))
            number = OverseasNational(text) ?? number;
        var region = Util.GetRegionCodeForNumber(number);
        var e164 = Util.Format(number, PhoneNumberFormat.E164);
        var shown = PhoneNumbers.ToNational(e164);
        if (number.CountryCode != 33 && !Overseas.Contains(region))
            return Util.IsPossibleNumber(number)
                ? new(text, NumberKind.International, e164, $"international number {e164} ({(region is null or "ZZ" ? $"country code +{number.CountryCode}" : region)})")
                : Invalid(text, $"not a possible number of country code +{number.CountryCode}");
        return Util.IsValidNumber(number) ? ByType(text, number, e164, shown, region) : ByPrefix(text, number, e164, shown);
    }

    private static DialledNumber ByType(string text, PhoneNumber number, string e164, string shown, string? region)
    {
        var where = region is null or "FR" ? "" : $" ({region})";
        return Util.GetNumberType(number) switch
        {
            PhoneNumberType.MOBILE => new(text, NumberKind.Mobile, e164, $"mobile number {shown}{where}"),
            PhoneNumberType.PREMIUM_RATE => new(text, NumberKind.Premium, e164, $"premium-rate number {shown}"),
            var type => Premium089(number) ? new(text, NumberKind.Premium, e164, $"premium-rate number {shown}")
                : new(text, NumberKind.National, e164, $"{Describe(type)} {shown}{where}"),
        };
    }

    /// <summary>A French number of 10 digits that libphonenumber does not know (a new range): by its prefix, as French numbering has it.</summary>
    private static DialledNumber ByPrefix(string text, PhoneNumber number, string e164, string shown)
    {
        var national = number.NationalNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (number.CountryCode != 33 || national.Length != 9) return Invalid(text, $"{shown} is not a French number (9 digits after the 0)");
        return national[0] switch
        {
            '6' or '7' => new(text, NumberKind.Mobile, e164, $"mobile number {shown}"),
            '8' when national[1] == '9' => new(text, NumberKind.Premium, e164, $"premium-rate number {shown}"),
            _ => new(text, NumberKind.National, e164, $"national number {shown}"),
        };
    }

    private static bool Premium089(PhoneNumber number) =>
        number.CountryCode == 33 && number.NationalNumber is >= 890_000_000 and <= 899_999_999;

    /// <summary>"0262 12 34 56" dialled in France is Réunion's +262 262 12 34 56: the first overseas region where it is valid.</summary>
    private static PhoneNumber? OverseasNational(string text)
    {
        foreach (var region in Overseas)
            if (Parse(text, region) is { } n && Util.IsValidNumber(n)) return n;
        return null;
    }

    private static string Describe(PhoneNumberType type) => type switch
    {
        PhoneNumberType.TOLL_FREE => "free number",
        PhoneNumberType.SHARED_COST => "shared-cost number",
        PhoneNumberType.VOIP => "non-geographic number",
        _ => "national number",
    };

    private static PhoneNumber? Parse(string text, string region)
    {
        try
        {
            return Util.Parse(text, region);
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    private static DialledNumber Invalid(string text, string why) => new(text, NumberKind.Invalid, null, why);
}
