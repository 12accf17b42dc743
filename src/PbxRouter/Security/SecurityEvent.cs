namespace PbxRouter.Security;

/// <summary>One line of Asterisk's security log (res_security_log): which event, the account claimed and the source address.</summary>
public sealed record SecurityEvent(string Name, string Account, string SourceAddress)
{
    /// <summary>Events that mean Asterisk refused a request (an unknown source, a wrong password, an ACL...).</summary>
    private static readonly HashSet<string> Refusals = new(StringComparer.Ordinal)
    {
        "InvalidAccountID", "ChallengeResponseFailed", "InvalidPassword", "FailedACL", "UnexpectedAddress",
        "RequestNotAllowed", "AuthMethodNotAllowed", "RequestBadFormat", "InvalidTransport",
    };

    /// <summary>True when the event says a request was refused (not a challenge sent or a successful login).</summary>
    public bool IsRefusal => Refusals.Contains(Name);

    /// <summary>
    /// Reads a line such as <c>SecurityEvent="InvalidAccountID",...,AccountID="trunk",...,RemoteAddress="IPV4/UDP/127.0.0.9/5799"</c>;
    /// null when the line is not a security event (or lacks the source address).
    /// </summary>
    public static SecurityEvent? Parse(string line)
    {
        var name = Field(line, "SecurityEvent");
        var remote = Field(line, "RemoteAddress");
        if (name is null || remote is null) return null;
        // IPV4/UDP/127.0.0.9/5799 or IPV6/UDP/::1/5060: the address is between the second and the last slash.
        var parts = remote.Split('/');
        var address = parts.Length >= 4 ? string.Join('/', parts[2..^1]) : remote;
        return new SecurityEvent(name, Field(line, "AccountID") ?? "", address);
    }

    private static string? Field(string line, string key)
    {
        var marker = $"{key}=\"";
        var start = line.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0) return null;
        start += marker.Length;
        var end = line.IndexOf('"', start);
        return end < 0 ? null : line[start..end];
    }
}
