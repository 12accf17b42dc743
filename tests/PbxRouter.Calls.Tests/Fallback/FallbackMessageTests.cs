using PbxRouter.Calls.Fallback;

namespace PbxRouter.Calls.Tests.Fallback;

[TestFixture]
public sealed class FallbackMessageTests
{
    [TestCase("fallback~tilleuls~cabinet~1795000000~1795000000-7~p33612345678", "+33612345678")]
    [TestCase("fallback~tilleuls~cabinet~1795000000~1795000000-7~0612345678", "0612345678")]
    [TestCase("fallback~tilleuls~cabinet~1795000000~1795000000-7~", null)]
    [TestCase("fallback~tilleuls~cabinet~1795000000~1795000000-7~1p2", null)]
    public void TryParse_ANameOfTheFallbackRoute_GivesItsPracticeBoxTimeChannelAndCaller(string name, string? caller)
    {
        var message = FallbackMessage.TryParse(name);

        Assert.That(message, Is.EqualTo(new FallbackMessage(name, "tilleuls", "cabinet", DateTimeOffset.FromUnixTimeSeconds(1795000000), "1795000000.7", caller)));
        Assert.That(message!.MessageId, Is.EqualTo("20261118110640-fallback-1795000000-7"));
    }

    [Test]
    public void ByEngineNow_NamesTheMessageSoThatItsNameAloneSaysWhoseItIs()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1795000000);
        var message = FallbackMessage.ByEngineNow("tilleuls", "cabinet", at, "1795000000.7", "+33612345678");

        Assert.Multiple(() =>
        {
            Assert.That(message.RecordingName, Is.EqualTo("vm~tilleuls~cabinet~1795000000~1795000000-7~p33612345678"));
            Assert.That(message.ByEngine, Is.True);
            Assert.That(FallbackMessage.TryParse(message.RecordingName), Is.EqualTo(message), "parsed back the same");
            Assert.That(message.MessageId, Is.EqualTo("20261118110640-cabinet-1795000000-7"));
            Assert.That(FallbackMessage.ByEngineNow("tilleuls", "cabinet", at, "1795000000.7", "anonymous").CallerNumber, Is.Null);
        });
    }

    [TestCase("vm-tilleuls-cabinet-20261124100000-abc")]
    [TestCase("fallback~tilleuls~cabinet~1795000000~1795000000-7")]
    [TestCase("fallback~Tilleuls~cabinet~1795000000~1-7~")]
    [TestCase("fallback~tilleuls~cabinet~99999999999999~1-7~")]
    [TestCase("fallback~tilleuls~../etc~1795000000~1-7~")]
    [TestCase("fallback~tilleuls~cabinet~1795000000~1.7~")]
    public void TryParse_AnyOtherName_IsNotAMessage(string name) => Assert.That(FallbackMessage.TryParse(name), Is.Null);
}
