namespace PbxRouter.Calls;

/// <summary>Masks a caller's number for logs: ops see the operator prefix and last digits, not the person.</summary>
public static class PhoneNumberMask
{
    public static string Mask(string? number)
    {
        if (string.IsNullOrEmpty(number)) return "(none)";
        var digits = number.Length;
        if (digits <= 4) return new string('*', digits);
        var keepStart = Math.Min(4, digits - 4);
        return string.Concat(number.AsSpan(0, keepStart), new string('*', digits - keepStart - 2), number.AsSpan(digits - 2));
    }
}
