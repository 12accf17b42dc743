using System.Text.RegularExpressions;

namespace PbxRouter.IntegrationTests.Flows;

/// <summary>
/// Hostile caller IDs and called numbers sent from the trunk's address, as far as SIP lets them through (CR/LF only
/// %-escaped in a URI or as quoted-pair escapes in a display name; a raw CR/LF would end the header).
/// </summary>
public static class HostileInputs
{
    /// <summary>A caller ID: the From URI and display name sent (patient-caller-id.xml); Presented: a phone number the secretariat may see.</summary>
    public sealed record CallerIdCase(string Name, string FromUri, string Display, bool Presented)
    {
        public IReadOnlyDictionary<string, string> Keys => new Dictionary<string, string> { ["from_uri"] = FromUri, ["display"] = Display };
        public override string ToString() => Name;
    }

    /// <summary>
    /// A called number put in the Request-URI as it is; Practice: Asterisk hands the practice's own number to the engine;
    /// LoggedAs: how the call record names what was dialled (URI-encoded by the dialplan).
    /// </summary>
    public sealed record CalledCase(string Name, string RequestUser, bool Practice, string? LoggedAs)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<CallerIdCase> CallerIds() =>
    [
        new("empty (no user in From)", "sip:127.0.0.2", "", false),
        new("anonymous", "sip:anonymous@anonymous.invalid", "\"Anonymous\" ", false),
        new("500 digits", $"sip:{new string('9', 500)}@127.0.0.2", "", false),
        new("non-ASCII name", "sip:+33630000031@127.0.0.2", "\"Hélène Dupré\" ", true),
        new("non-ASCII user", "sip:h%C3%A9l%C3%A8ne@127.0.0.2", "", false),
        new("quotes in the name", "sip:+33630000032@127.0.0.2", "\"Dr \\\"Who\\\" O'Neil\" ", true),
        new("CR/LF in the user", "sip:%0d%0aX-Forged%3a1@127.0.0.2", "", false),
        new("CR/LF escapes in the name", "sip:+33630000033@127.0.0.2", "\"Evil\\r\\nX-Forged: 1\" ", true),
        new("terminal escape", "sip:%1b%5b31mRED@127.0.0.2", "", false),
        new("SQL injection", "sip:%27%3B%20DROP%20TABLE%20calls%3B--@127.0.0.2", "\"'; DROP TABLE calls;--\" ", false),
    ];

    public static IEnumerable<CalledCase> CalledNumbers() =>
    [
        new("percent-encoded +", "%2B33145000000", true, null),          // PJSIP decodes it: the practice's number
        new("colon", "+33145000000:evil", true, null),                     // user:password, the password is dropped
        new("comma", "+33145000000,evil", false, "%2B33145000000%2Cevil"),
        new("semicolon", "+33145000000;evil", false, "%2B33145000000%3Bevil"),
        // PJSIP keeps 79 characters; the record shows 64 of them and the length.
        new("200 digits", new string('1', 200), false, new string('1', 64) + "…(79 chars)"),
        new("letters", "tilleuls", false, "tilleuls"),
        new("CR/LF", "%0d%0aX-Forged", false, "%0D%0AX-Forged"),
    ];

    /// <summary>Checks the INVITE a remote secretariat received for this caller: no forged header, and a number only when it is one.</summary>
    public static void AssertSafeInvite(string invite, CallerIdCase caller)
    {
        var from = invite.Split('\n').First(l => l.StartsWith("From:", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(invite, Does.Not.Match(@"(?mi)^X-Forged"), "no header injected");
            Assert.That(invite.Split('\n').Count(l => l.StartsWith("From:", StringComparison.Ordinal)), Is.EqualTo(1), invite);
            if (caller.Presented)
                Assert.That(from, Does.Match(@"<sip:\+336\d{8}@"), "the patient's number is presented");
            else
                Assert.That(from, Does.Match(@"(?i)<sip:anonymous@"), "not a phone number: presented as anonymous");
            Assert.That(Regex.IsMatch(from, @"<sip:(anonymous|\+?\d{2,15})@", RegexOptions.IgnoreCase), from);
        });
    }
}
