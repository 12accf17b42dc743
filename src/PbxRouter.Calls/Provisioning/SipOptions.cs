using PbxRouter.Routing;

namespace PbxRouter.Calls.Provisioning;

/// <summary>
/// Settings "Sip": the transports Asterisk offers to trunks besides UDP (scripts/asterisk.sh renders them from the same
/// values, docs/network.md). A trunk on a transport that is missing is refused by `rules validate`/`apply` and left out
/// by provisioning, never downgraded to UDP.
/// </summary>
public sealed class SipOptions
{
    /// <summary>Asterisk has a TCP transport (scripts/asterisk.sh: PBX_SIP_TCP_PORT, on by default).</summary>
    public bool Tcp { get; set; } = true;

    /// <summary>PEM certificate (chain) of the TLS transport; with <see cref="TlsPrivateKey"/>, trunks may use TLS.</summary>
    public string TlsCertificate { get; set; } = "";

    /// <summary>PEM private key of the TLS transport.</summary>
    public string TlsPrivateKey { get; set; } = "";

    private const string TlsFix = "set Sip:TlsCertificate and Sip:TlsPrivateKey (PBXROUTER_Sip__TlsCertificate, PBXROUTER_Sip__TlsPrivateKey) to readable PEM files, "
        + "the same Asterisk serves (PBX_TLS_CERT_FILE, PBX_TLS_KEY_FILE; docs/network.md), or write transport: tcp or udp";

    /// <summary>What the rules may use, checking that the TLS files exist and can be read.</summary>
    public SipTransports Transports() => new(
        TcpMissing: Tcp ? null : "Asterisk's TCP transport is turned off (Sip:Tcp is false)",
        TlsMissing: TlsProblem(), TlsFix: TlsFix);

    /// <summary>Settings problems (exit 2 for `serve`): a TLS file named but missing or unreadable, or only one of the two.</summary>
    public IEnumerable<string> Problems()
    {
        if (TlsCertificate.Length == 0 && TlsPrivateKey.Length == 0) yield break;
        if (TlsProblem() is { } problem) yield return problem;
    }

    private string? TlsProblem()
    {
        if (TlsCertificate.Length == 0 && TlsPrivateKey.Length == 0)
            return "no TLS certificate is configured (Sip:TlsCertificate and Sip:TlsPrivateKey are empty)";
        if (TlsCertificate.Length == 0) return "Sip:TlsPrivateKey is set but Sip:TlsCertificate is empty";
        if (TlsPrivateKey.Length == 0) return "Sip:TlsCertificate is set but Sip:TlsPrivateKey is empty";
        return Unreadable("Sip:TlsCertificate", TlsCertificate) ?? Unreadable("Sip:TlsPrivateKey", TlsPrivateKey);
    }

    private static string? Unreadable(string setting, string path)
    {
        if (!File.Exists(path)) return $"{setting} {path} does not exist";
        try
        {
            using var stream = File.OpenRead(path);
            return stream.Length == 0 ? $"{setting} {path} is empty" : null;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return $"{setting} {path} cannot be read ({ex.Message})";
        }
    }
}
