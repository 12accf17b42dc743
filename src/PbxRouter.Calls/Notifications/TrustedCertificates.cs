using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace PbxRouter.Calls.Notifications;

/// <summary>
/// Server certificate checks for webhooks and SMTP: the system's trusted CAs, plus one extra CA from a PEM file when the
/// settings name one (a practice's own CA, a test's self-signed certificate). The host name must always match.
/// </summary>
public sealed class TrustedCertificates
{
    private readonly X509Certificate2Collection _extra = [];

    public TrustedCertificates(string? caPemPath)
    {
        if (string.IsNullOrWhiteSpace(caPemPath)) return;
        if (!File.Exists(caPemPath))
            throw new FileNotFoundException($"Notifications:TrustedCaPath: no file {caPemPath}: give the PEM file of the CA certificate to trust", caPemPath);
        _extra.ImportFromPemFile(caPemPath);
        if (_extra.Count == 0) throw new InvalidDataException($"Notifications:TrustedCaPath: {caPemPath} holds no PEM certificate");
    }

    /// <summary>True when the certificate chains to a system CA or to the extra CA, and names the host.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (_extra.Count == 0 || certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
            || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_extra);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
            foreach (var element in chain.ChainElements.Skip(1))
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
