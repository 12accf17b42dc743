namespace PbxRouter.Routing.Tests.Numbers;

public class PhoneNumbersTests
{
    [TestCase("01 45 00 00 00", "+33145000000")]
    [TestCase("0145000000", "+33145000000")]
    [TestCase("01.45.00.00.00", "+33145000000")]
    [TestCase("01-45-00-00-00", "+33145000000")]
    [TestCase("+33 1 45 00 00 00", "+33145000000")]
    [TestCase("+33 (0)1 45 00 00 00", "+33145000000")]
    [TestCase("0033145000000", "+33145000000")]
    [TestCase("06 12 34 56 78", "+33612345678")]
    [TestCase("+32 2 123 45 67", "+3221234567")]
    public void TryNormalize_AcceptsWhatPeopleWrite(string text, string expected)
    {
        Assert.That(PhoneNumbers.TryNormalize(text, out var e164), Is.True);
        Assert.That(e164, Is.EqualTo(expected));
    }

    [TestCase("145000000")]          // missing the leading 0
    [TestCase("01 45 00 00")]        // too short
    [TestCase("01 45 00 00 00 0")]   // too long
    [TestCase("+33 01 45 00 00 00")] // 0 kept after +33
    [TestCase("00 33 01 45 00 00 00")]
    [TestCase("abc")]
    [TestCase("")]
    [TestCase("15")]
    public void TryNormalize_RejectsMistakes(string text) => Assert.That(PhoneNumbers.TryNormalize(text, out _), Is.False);

    [TestCase("33145000000", "+33145000000")]
    [TestCase("145000000", "+33145000000")]
    public void TryNormalize_Lenient_AcceptsWhatTrunksSend(string text, string expected)
    {
        Span<char> buffer = stackalloc char[16];
        Assert.That(PhoneNumbers.TryNormalize(text, buffer, lenient: true, out var length), Is.True);
        Assert.That(new string(buffer[..length]), Is.EqualTo(expected));
    }

    [TestCase("+33145000000", new[] { "+33145000000", "0033145000000", "0145000000", "33145000000", "145000000" })]
    [TestCase("+442079460000", new[] { "+442079460000", "00442079460000" })]
    public void TrunkForms_AreEveryFormCallsReadAsTheNumber(string e164, string[] expected)
    {
        var forms = PhoneNumbers.TrunkForms(e164);
        Assert.That(forms, Is.EqualTo(expected));
        Span<char> buffer = stackalloc char[16];
        foreach (var form in forms)
        {
            Assert.That(PhoneNumbers.TryNormalize(form, buffer, lenient: true, out var length), Is.True, form);
            Assert.That(new string(buffer[..length]), Is.EqualTo(e164), form);
        }
    }

    [Test]
    public void ToNational_FormatsFrenchNumbers()
    {
        Assert.That(PhoneNumbers.ToNational("+33145000000"), Is.EqualTo("01 45 00 00 00"));
        Assert.That(PhoneNumbers.ToNational("+3221234567"), Is.EqualTo("+3221234567"));
    }

    [Test]
    public void LooksOverseas_SpotsReunionNumbers()
    {
        Assert.That(PhoneNumbers.LooksOverseas("02 62 12 34 56"), Is.True);
        Assert.That(PhoneNumbers.LooksOverseas("06 92 12 34 56"), Is.True);
        Assert.That(PhoneNumbers.LooksOverseas("01 45 00 00 00"), Is.False);
    }
}
