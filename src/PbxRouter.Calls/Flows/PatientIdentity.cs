using PbxRouter.Ari;

namespace PbxRouter.Calls.Flows;

/// <summary>
/// The patient's caller ID as the trunk gave it, and how the legs the engine places (remote secretariat, forwards,
/// doctors' mobiles, reception phones) show it. A patient who withheld their number stays withheld on every leg; a
/// caller ID that is not a phone number (letters, CR/LF, 500 characters) is never presented onward either.
/// </summary>
public sealed record PatientIdentity(string Number, string Name, bool Withheld)
{
    /// <summary>Longest display name passed on to an outgoing leg.</summary>
    private const int MaxName = 40;

    /// <summary>
    /// <paramref name="presentation"/> is the caller channel's CALLERID(pres) (extensions.conf passes it to Stasis):
    /// with trust_id_inbound, "Privacy: id" gives prohib_*, and the number is the one of P-Asserted-Identity.
    /// A From of "anonymous" (RFC 3323) without a Privacy header is withheld too.
    /// </summary>
    public static PatientIdentity Of(CallerId caller, string? presentation) => new(caller.Number, caller.Name,
        presentation?.StartsWith("prohib", StringComparison.OrdinalIgnoreCase) == true
        || string.Equals(caller.Number, "anonymous", StringComparison.OrdinalIgnoreCase));

    /// <summary>True when the outgoing legs show the patient's number.</summary>
    public bool Presented => !Withheld && UntrustedText.IsPhoneNumber(Number);

    /// <summary>
    /// CONNECTEDLINE(...) channel variables for an outgoing leg, set when it is created: on an outgoing PJSIP leg the
    /// From comes from the connected line (ari-facts.md). Not presented: CONNECTEDLINE(pres)=prohib, so PJSIP sends
    /// From "Anonymous" &lt;sip:anonymous@anonymous.invalid&gt;, and P-Asserted-Identity (when the trunk sends it) with Privacy: id.
    /// </summary>
    /// <param name="name">The name to show instead of the patient's (e.g. "URGENT Cabinet ..." on a doctor's mobile).</param>
    public Dictionary<string, string> ConnectedLine(string? name = null)
    {
        var ownName = UntrustedText.WithoutControls(Name, MaxName);
        if (Presented)
            return new() { ["CONNECTEDLINE(num)"] = Number, ["CONNECTEDLINE(name)"] = name ?? (ownName.Length > 0 ? ownName : Number) };
        return new()
        {
            // The real number only travels in P-Asserted-Identity, marked private; junk is not sent at all.
            ["CONNECTEDLINE(num)"] = UntrustedText.IsPhoneNumber(Number) ? Number : "",
            ["CONNECTEDLINE(name)"] = name ?? (Withheld ? "" : ownName),
            ["CONNECTEDLINE(pres)"] = "prohib",
        };
    }
}
