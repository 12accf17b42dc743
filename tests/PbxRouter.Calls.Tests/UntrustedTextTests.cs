namespace PbxRouter.Calls.Tests;

[TestFixture]
public sealed class UntrustedTextTests
{
    [TestCase("+33612345678", "+33612345678")]
    [TestCase("Hélène Dupré", "Hélène Dupré")]
    [TestCase("line\r\nINFO  forged: call ended", @"line\r\nINFO  forged: call ended")]
    [TestCase("\u001b[31mRED\u001b[0m", @"\x1B[31mRED\x1B[0m")]
    [TestCase("tab\tbell\a del\u007f c1\u0085", @"tab\tbell\x07 del\x7F c1\x85")]
    [TestCase("already \\x1B escaped", @"already \\x1B escaped")]
    [TestCase("abc\u202Eevil", @"abc\u202Eevil")]
    [TestCase("\u2028sep", @"\u2028sep")]
    [TestCase("'; DROP TABLE calls;--", "'; DROP TABLE calls;--")]
    [TestCase("😀 ok", "😀 ok")]
    public void ForDisplay_GivesOnePrintableLine(string text, string shown) =>
        Assert.That(UntrustedText.ForDisplay(text), Is.EqualTo(shown));

    [Test]
    public void ForDisplay_CutsLongTextAndSaysHowLongItWas()
    {
        var shown = UntrustedText.ForDisplay(new string('9', 500));

        Assert.That(shown, Is.EqualTo(new string('9', 64) + "…(500 chars)"));
    }

    [Test]
    public void ForDisplay_NullOrEmpty_IsEmpty() =>
        Assert.That(UntrustedText.ForDisplay(null) + UntrustedText.ForDisplay(""), Is.Empty);

    [TestCase("+33145000000", "+33145000000")]
    [TestCase("*21", "*21")]
    [TestCase("#21", "#21")]
    [TestCase("0612345678", "0612345678")]
    [TestCase("+33145000000,evil", "")]
    [TestCase("1:2", "")]
    [TestCase("1;2", "")]
    [TestCase("tilleuls", "")]
    [TestCase("\r\n", "")]
    [TestCase("123456789012345678901", "")]
    [TestCase("", "")]
    [TestCase(null, "")]
    public void CalledNumber_KeepsOnlyWhatTheDialplanKeeps(string? text, string called) =>
        Assert.That(UntrustedText.CalledNumber(text), Is.EqualTo(called));

    [TestCase("+33612345678", true)]
    [TestCase("0612345678", true)]
    [TestCase("15", true)]
    [TestCase("+1234567890123456", false)]
    [TestCase("anonymous", false)]
    [TestCase("", false)]
    [TestCase("+", false)]
    [TestCase("06 12", false)]
    [TestCase("\r\nX-Forged", false)]
    [TestCase("12+3", false)]
    public void IsPhoneNumber(string text, bool number) => Assert.That(UntrustedText.IsPhoneNumber(text), Is.EqualTo(number));

    [Test]
    public void WithoutControls_DropsControlsAndCuts() =>
        Assert.That(UntrustedText.WithoutControls(" Evil\r\n\u001b[2J Name that is long ", 12), Is.EqualTo("Evil[2J Name"));
}
