namespace PbxRouter.Security;

/// <summary>Text an outsider chose (a SIP user name) made safe for a log line: printable ASCII only, at most 64 characters, quoted.</summary>
internal static class LogText
{
    public static string Printable(string s)
    {
        var kept = new string(s.Where(c => c is >= ' ' and <= '~' && c != '"').Take(64).ToArray());
        return $"\"{kept}{(s.Length > 64 ? "..." : "")}\"";
    }
}
