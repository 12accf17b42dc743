using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PbxRouter.IntegrationTests.Infrastructure;

/// <summary>
/// A self-signed certificate for 127.0.0.1 and localhost made by the test (no file shipped, nothing installed in the
/// system's store), with its PEM written where Notifications:TrustedCaPath can point.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    public TestCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=pbxrouter-test-receiver", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")], false));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        // Through PKCS#12 so the private key is usable by SslStream on every platform.
        Certificate = X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
        Directory.CreateDirectory(Path.GetDirectoryName(PemPath)!);
        File.WriteAllText(PemPath, Certificate.ExportCertificatePem());
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate alone (no key), PEM: what the engine is told to trust.</summary>
    public string PemPath { get; } = Path.Combine(Path.GetTempPath(), "pbxrouter-it", "certs", $"receiver-{Guid.NewGuid():N}.pem");

    public void Dispose()
    {
        Certificate.Dispose();
        File.Delete(PemPath);
    }
}
