namespace PbxRouter.Calls.Tests;

[TestFixture]
public sealed class PhoneNumberMaskTests
{
    [TestCase("+33612345678", "+336******78")]
    [TestCase("0612345678", "0612****78")]
    [TestCase("1234", "****")]
    [TestCase("", "(none)")]
    [TestCase(null, "(none)")]
    [TestCase("anonymous", "anon***us")]
    public void Mask_HidesTheMiddle(string? number, string masked) => Assert.That(PhoneNumberMask.Mask(number), Is.EqualTo(masked));

    [Test]
    public void Mask_AVeryLongCallerId_StaysOneShortLine() =>
        Assert.That(PhoneNumberMask.Mask(new string('9', 500)), Is.EqualTo("9999*…*(500 chars)99"));

    [Test]
    public void Mask_ControlCharactersInTheKeptEnds_AreEscaped() =>
        Assert.That(PhoneNumberMask.Mask("\u001b[2Jabcdef\r\n"), Is.EqualTo(@"\x1B[2J******\r\n"));
}
