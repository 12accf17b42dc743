using PbxRouter.Hosting;

namespace PbxRouter.Tests.Hosting;

[TestFixture]
public sealed class EngineSettingsTests
{
    [Test]
    public void Load_WithoutPassword_SaysWhichEnvironmentVariableToSet()
    {
        var settings = EngineSettings.Load(null, new Dictionary<string, string?> { ["Ari:Password"] = "" });
        Assert.That(settings.Problems, Has.One.Contains("PBXROUTER_Ari__Password"));
    }

    [Test]
    public void Load_OverridesWinOverDefaults_AndTheUrlGetsItsSlash()
    {
        var settings = EngineSettings.Load(null, new Dictionary<string, string?>
        {
            ["Ari:Url"] = "http://127.0.0.1:9999/ari", ["Ari:Password"] = "s3cret", ["Ari:Application"] = "other",
        });
        Assert.That(settings.Problems, Is.Empty);
        Assert.That(settings.Ari.BaseUrl.ToString(), Is.EqualTo("http://127.0.0.1:9999/ari/"));
        Assert.That(settings.Ari.Application, Is.EqualTo("other"));
        Assert.That(settings.Ari.ToString(), Does.Not.Contain("s3cret"));
    }

    [TestCase("FeatureCodes:LockAfterWrongPins", "0", "FeatureCodes:LockAfterWrongPins must be at least 1")]
    [TestCase("FeatureCodes:LockFor", "00:00:00", "FeatureCodes:LockFor must be positive")]
    public void Load_APinLockoutThatCannotWork_IsAProblem(string key, string value, string problem)
    {
        var settings = EngineSettings.Load(null, new Dictionary<string, string?> { ["Ari:Password"] = "p", [key] = value });
        Assert.That(settings.Problems, Has.One.Contains(problem));
    }

    [Test]
    public void Load_NotificationSettingsThatCannotWork_AreProblems()
    {
        var settings = EngineSettings.Load(null, new Dictionary<string, string?>
        {
            ["Ari:Password"] = "p", ["Notifications:TrustedCaPath"] = "/nonexistent/ca.pem", ["Notifications:Smtp:Host"] = "smtp.example.fr",
            ["Notifications:Smtp:User"] = "pbx", ["Notifications:Smtp:From"] = "", ["Notifications:MaxAttempts"] = "0",
        });
        Assert.That(settings.Problems, Has.One.Contains("Notifications:TrustedCaPath: no file /nonexistent/ca.pem")
            .And.One.Contains("Notifications:Smtp:From")
            .And.One.Contains("Notifications:Smtp:PasswordEnv")
            .And.One.Contains("Notifications:MaxAttempts 0"));
        var badEnum = EngineSettings.Load(null, new Dictionary<string, string?> { ["Ari:Password"] = "p", ["Notifications:Smtp:Security"] = "ssl3" });
        Assert.That(badEnum.Problems, Has.One.StartsWith("Notifications:"));
    }

    [Test]
    public void Load_WithoutNotificationSettings_HasNoProblem()
    {
        var settings = EngineSettings.Load(null, new Dictionary<string, string?> { ["Ari:Password"] = "p" });
        Assert.That(settings.Problems, Is.Empty);
    }

    [Test]
    public void Load_NotAnHttpUrl_IsAProblem()
    {
        var settings = EngineSettings.Load(null, new Dictionary<string, string?> { ["Ari:Url"] = "ftp://x", ["Ari:Password"] = "p" });
        Assert.That(settings.Problems, Has.One.Contains("is not an http(s) URL"));
    }

    [Test]
    public void Load_MissingSettingsFile_IsAProblem()
    {
        var settings = EngineSettings.Load(new FileInfo("/nonexistent/pbxrouter.json"), new Dictionary<string, string?> { ["Ari:Password"] = "p" });
        Assert.That(settings.Problems, Has.One.Contains("does not exist"));
    }

    [Test]
    public void Load_WatchdogDefaults_AndOverrides()
    {
        var defaults = EngineSettings.Load(null, new Dictionary<string, string?> { ["Ari:Password"] = "p" }).Watchdog;
        Assert.That((defaults.Bound, defaults.PollEvery, defaults.HeartbeatEvery, defaults.Application, defaults.PhoneFallbackContext),
            Is.EqualTo((TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), "pbxrouter-watchdog", "fallback-phones")));

        var settings = EngineSettings.Load(null, new Dictionary<string, string?>
        {
            ["Ari:Password"] = "p", ["Watchdog:Bound"] = "00:00:45", ["Watchdog:HeartbeatEvery"] = "00:00:05",
        });
        Assert.That(settings.Problems, Is.Empty);
        Assert.That((settings.Watchdog.Bound, settings.Watchdog.HeartbeatEvery), Is.EqualTo((TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(5))));
    }

    [Test]
    public void Load_AWatchdogBoundOfAFewHeartbeatsOnly_IsAProblem()
    {
        var settings = EngineSettings.Load(null, new Dictionary<string, string?> { ["Ari:Password"] = "p", ["Watchdog:Bound"] = "00:00:06" });
        Assert.That(settings.Problems, Has.One.Contains("Watchdog:Bound"));
    }
    [TestCase("http://127.0.0.1:8088/ari/")]
    [TestCase("http://localhost:8088/ari/")]
    [TestCase("http://[::1]:8088/ari/")]
    public void Load_AriOnLoopback_NeedsNothingMore(string url)
    {
        var settings = EngineSettings.Load(null, new Dictionary<string, string?> { ["Ari:Url"] = url, ["Ari:Password"] = "p" });
        Assert.That(settings.Problems, Is.Empty);
    }

    [Test]
    public void Load_AriElsewhere_MustBeAllowedExplicitly()
    {
        var values = new Dictionary<string, string?> { ["Ari:Url"] = "https://10.0.0.5:8089/ari/", ["Ari:Password"] = "p" };
        Assert.That(EngineSettings.Load(null, values).Problems, Has.One.Contains("Ari:AllowRemote=true"));

        values["Ari:AllowRemote"] = "true";
        Assert.That(EngineSettings.Load(null, values).Problems, Is.Empty);
    }

    [Test]
    public void Load_SipDefaults_OfferTcpButNoTls()
    {
        var sip = EngineSettings.Load(null, new Dictionary<string, string?> { ["Ari:Password"] = "p" }).Provisioning.Sip;
        var transports = sip.Transports();
        Assert.That((sip.Tcp, transports.Missing("tcp"), transports.Missing("udp")), Is.EqualTo((true, (string?)null, (string?)null)));
        Assert.That(transports.Missing("tls"), Does.Contain("no TLS certificate is configured"));
    }

    [Test]
    public void Load_TlsFilesThatDoNotExist_AreAProblemNamingTheFile()
    {
        var settings = EngineSettings.Load(null, new Dictionary<string, string?>
        {
            ["Ari:Password"] = "p", ["Sip:TlsCertificate"] = "/nonexistent/pbx.pem", ["Sip:TlsPrivateKey"] = "/nonexistent/pbx.key",
        });
        Assert.That(settings.Problems, Has.One.EqualTo("Sip:TlsCertificate /nonexistent/pbx.pem does not exist"));
    }

    [Test]
    public void Load_TlsFilesThatCanBeRead_OfferTls()
    {
        var folder = Directory.CreateTempSubdirectory("pbxrouter-tls-").FullName;
        var (cert, key) = (Path.Combine(folder, "cert.pem"), Path.Combine(folder, "key.pem"));
        File.WriteAllText(cert, "-----BEGIN CERTIFICATE-----\n");
        File.WriteAllText(key, "-----BEGIN PRIVATE KEY-----\n");
        var settings = EngineSettings.Load(null, new Dictionary<string, string?> { ["Ari:Password"] = "p", ["Sip:TlsCertificate"] = cert, ["Sip:TlsPrivateKey"] = key });

        Assert.That(settings.Problems, Is.Empty);
        Assert.That(settings.Provisioning.Sip.Transports().Missing("tls"), Is.Null);
    }
}
