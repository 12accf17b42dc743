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
}
