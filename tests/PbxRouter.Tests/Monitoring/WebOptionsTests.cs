using System.Net;
using PbxRouter.Hosting;

namespace PbxRouter.Tests.Monitoring;

[TestFixture]
public sealed class WebOptionsTests
{
    private static EngineSettings Load(params (string Key, string? Value)[] values)
    {
        var all = new Dictionary<string, string?> { ["Ari:Password"] = "p" };
        foreach (var (key, value) in values) all[key] = value;
        return EngineSettings.Load(null, all);
    }

    [Test]
    public void Default_IsLoopbackPort8089_WithNoProblem()
    {
        var settings = Load();
        Assert.That(settings.Problems, Is.Empty);
        Assert.That(settings.Web.EndPoint, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 8089)));
        Assert.That(settings.Web.MinFreeDiskMegabytes, Is.EqualTo(500));
    }

    [TestCase("http://localhost:9100")]
    [TestCase("http://[::1]:9100")]
    [TestCase("http://127.0.0.1:9100/")]
    public void LoopbackAddresses_NeedNothingMore(string url)
    {
        var settings = Load(("Web:Url", url));
        Assert.That(settings.Problems, Is.Empty);
        Assert.That(IPAddress.IsLoopback(settings.Web.EndPoint!.Address) && settings.Web.EndPoint.Port == 9100, Is.True);
    }

    [TestCase("http://0.0.0.0:8089")]
    [TestCase("http://192.0.2.10:8089")]
    public void AnotherAddress_IsAProblem_UnlessWebAllowRemote(string url)
    {
        Assert.That(Load(("Web:Url", url)).Problems, Has.One.Contains("Web:AllowRemote=true"));
        var allowed = Load(("Web:Url", url), ("Web:AllowRemote", "true"));
        Assert.That(allowed.Problems, Is.Empty);
        Assert.That(allowed.Web.EndPoint!.ToString(), Is.EqualTo(url["http://".Length..]));
    }

    [TestCase("https://127.0.0.1:8089", "is not http://ADDRESS:PORT")]
    [TestCase("http://127.0.0.1:8089/metrics", "is not http://ADDRESS:PORT")]
    [TestCase("http://monitoring.example.fr:8089", "must be an IP address")]
    [TestCase("not a url", "is not http://ADDRESS:PORT")]
    public void UrlsThatCannotWork_AreProblems(string url, string said)
    {
        Assert.That(Load(("Web:Url", url)).Problems, Has.One.Contains(said));
    }

    [Test]
    public void AnEmptyUrl_TurnsTheEndpointOff()
    {
        var settings = Load(("Web:Url", ""));
        Assert.That(settings.Problems, Is.Empty);
        Assert.That(settings.Web.EndPoint, Is.Null);
    }

    [Test]
    public void BadAllowRemoteOrDiskThreshold_AreProblems()
    {
        var settings = Load(("Web:AllowRemote", "yes"), ("Web:MinFreeDiskMegabytes", "-5"));
        Assert.That(settings.Problems, Has.One.Contains("Web:AllowRemote 'yes'").And.One.Contains("Web:MinFreeDiskMegabytes '-5'"));
    }
}
