namespace PbxRouter.Routing.Tests.Numbers;

public class OutgoingNumbersTests
{
    [TestCase("15")]
    [TestCase("17")]
    [TestCase("18")]
    [TestCase("112")]
    [TestCase("114")]
    [TestCase("115")]
    [TestCase("116117")]
    [TestCase("119")]
    [TestCase("191")]
    [TestCase("196")]
    [TestCase("197")]
    public void Classify_EmergencyNumbers_AreEmergencies_SentAsDialled(string dialled)
    {
        var number = OutgoingNumbers.Classify(dialled);
        Assert.That(number.Kind, Is.EqualTo(NumberKind.Emergency));
        Assert.That(number.Destination, Is.EqualTo(dialled));
    }

    [TestCase("0145000000", NumberKind.National, "+33145000000")]
    [TestCase("0567000000", NumberKind.National, "+33567000000")]
    [TestCase("0970123456", NumberKind.National, "+33970123456")]
    [TestCase("0800123456", NumberKind.National, "+33800123456")]
    [TestCase("0810123456", NumberKind.National, "+33810123456")]
    [TestCase("0612345678", NumberKind.Mobile, "+33612345678")]
    [TestCase("0755123456", NumberKind.Mobile, "+33755123456")]
    [TestCase("0712345678", NumberKind.Mobile, "+33712345678")] // not allocated in libphonenumber's data: by its prefix
    [TestCase("+33612345678", NumberKind.Mobile, "+33612345678")]
    [TestCase("0033145000000", NumberKind.National, "+33145000000")]
    [TestCase("0899123456", NumberKind.Premium, "+33899123456")]
    [TestCase("0891234567", NumberKind.Premium, "+33891234567")]
    [TestCase("+442071234567", NumberKind.International, "+442071234567")]
    [TestCase("00442071234567", NumberKind.International, "+442071234567")]
    [TestCase("0012125550100", NumberKind.International, "+12125550100")]
    public void Classify_OutsideNumbers_ByKind_InE164(string dialled, NumberKind kind, string e164)
    {
        var number = OutgoingNumbers.Classify(dialled);
        Assert.That((number.Kind, number.Destination), Is.EqualTo((kind, e164)), number.Why);
    }

    [TestCase("0262123456", NumberKind.National, "+262262123456")]
    [TestCase("0692123456", NumberKind.Mobile, "+262692123456")]
    [TestCase("0590123456", NumberKind.National, "+590590123456")]
    [TestCase("0696123456", NumberKind.Mobile, "+596696123456")]
    [TestCase("+262262123456", NumberKind.National, "+262262123456")]
    public void Classify_OverseasDepartments_AreFrenchNumbers_WithTheirOwnCountryCode(string dialled, NumberKind kind, string e164)
    {
        var number = OutgoingNumbers.Classify(dialled);
        Assert.That((number.Kind, number.Destination), Is.EqualTo((kind, e164)), number.Why);
    }

    [TestCase("3949")]
    [TestCase("118712")]
    [TestCase("1010")]
    public void Classify_ShortNumbers_ArePremium(string dialled) =>
        Assert.That(OutgoingNumbers.Classify(dialled).Kind, Is.EqualTo(NumberKind.Premium));

    [TestCase("")]
    [TestCase("0612")]
    [TestCase("01450000001234")]
    [TestCase("*21")]
    [TestCase("12+34")]
    [TestCase("9999999")]
    [TestCase("06 12 34 56 78x")]
    public void Classify_Others_AreInvalid(string dialled) =>
        Assert.That(OutgoingNumbers.Classify(dialled).Kind, Is.EqualTo(NumberKind.Invalid));
}
