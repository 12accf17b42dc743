using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PbxRouter.Tests.Cli;

namespace PbxRouter.Tests.WebConsole;

/// <summary>Web:Certificate:Path set: the console (and /metrics) speak HTTPS, and the session cookie is Secure.</summary>
[TestFixture]
public sealed class ConsoleHttpsTests
{
    [Test]
    public async Task WithACertificate_TheServerSpeaksHttps_AndTheSessionCookieIsSecure()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Path.Combine(CliRunner.TempFolder(), "console.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx-test-only"));
        var port = ConsoleHost.FreePort();
        await using var console = await ConsoleHost.StartAsync(new()
        {
            ["Web:Url"] = $"https://127.0.0.1:{port}", ["Web:Certificate:Path"] = pfx, ["Web:Certificate:Password"] = "pfx-test-only",
        }, port);
        Assert.That(console.Url.Scheme, Is.EqualTo("https"));
        using var http = new HttpClient(new HttpClientHandler
        {
            CookieContainer = new CookieContainer(), AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == certificate.Thumbprint,
        }) { BaseAddress = console.Url };
        using var login = await ConsoleHost.LoginAsync(http, "marc");
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pbxrouter-console=", StringComparison.Ordinal));
        Assert.That(cookie, Does.Contain("secure").IgnoreCase.And.Contain("httponly").IgnoreCase);
        using var metrics = await http.GetAsync("metrics");
        Assert.That(metrics.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
