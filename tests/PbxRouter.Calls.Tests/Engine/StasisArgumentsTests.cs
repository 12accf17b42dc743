using PbxRouter.Calls.Engine;

namespace PbxRouter.Calls.Tests.Engine;

[TestFixture]
public sealed class StasisArgumentsTests
{
    [Test]
    public void Parse_TrunkCall_GivesKindNumberAndPresentation()
    {
        var args = StasisArguments.Parse(["inbound", "+33145000000", "prohib_not_screened"], "+33145000000");

        Assert.That(args, Is.EqualTo(new StasisArguments("inbound", "+33145000000", "prohib_not_screened", null)));
    }

    [Test]
    public void Parse_CalledStringThatIsNotANumber_IsEmptyWithWhatWasDialled()
    {
        var args = StasisArguments.Parse(["inbound", "", "allowed_not_screened", "%2B33145000000%2Cevil"], "unknown");

        Assert.That(args, Is.EqualTo(new StasisArguments("inbound", "", "allowed_not_screened", "%2B33145000000%2Cevil")));
    }

    [TestCase("tilleuls")]
    [TestCase("1,2")]
    [TestCase("\r\nX")]
    [TestCase("unknown")]
    public void Parse_WithoutTheArgument_NeverTrustsAnExtensionThatIsNotANumber(string exten) =>
        Assert.That(StasisArguments.Parse(["inbound"], exten).Called, Is.Empty);

    [Test]
    public void Parse_AnArgumentThatIsNotANumber_IsNotTrustedEither() =>
        Assert.That(StasisArguments.Parse(["phone", "*21,evil"], null).Called, Is.Empty);

    [TestCase("+33145000000", "+33145000000")]
    [TestCase("", "unknown")]
    public void FallbackExtension_IsTheNumberOrUnknown(string called, string extension) =>
        Assert.That(StasisArguments.FallbackExtension(called), Is.EqualTo(extension));
}
