using PbxRouter.Ari;
using PbxRouter.Calls.Flows;

namespace PbxRouter.Calls.Tests.Flows;

[TestFixture]
public sealed class PatientIdentityTests
{
    [TestCase("+33612345678", "Patient", "allowed_not_screened", false, true)]
    [TestCase("+33612345678", "Patient", "prohib_not_screened", true, false)]   // Privacy: id, number from P-Asserted-Identity
    [TestCase("+33612345678", "", "prohib", true, false)]
    [TestCase("anonymous", "Anonymous", "allowed_not_screened", true, false)]   // From anonymous without a Privacy header
    [TestCase("", "", "unavailable", false, false)]                             // no user in From
    [TestCase("'; DROP TABLE calls;--", "", "allowed_not_screened", false, false)]
    [TestCase("9999999999999999999999999999999999999999999999999999999999999999999999999999999", "", "allowed", false, false)]
    [TestCase("+33612345678", "Patient", null, false, true)]
    public void Of_TellsWithheldAndPresented(string number, string name, string? presentation, bool withheld, bool presented)
    {
        var patient = PatientIdentity.Of(new CallerId { Number = number, Name = name }, presentation);

        Assert.That((patient.Withheld, patient.Presented), Is.EqualTo((withheld, presented)));
    }

    [Test]
    public void ConnectedLine_Presented_ShowsNumberAndNameOrTheNumberAsName()
    {
        var named = PatientIdentity.Of(new CallerId { Number = "+33612345678", Name = "Hélène Dupré" }, "allowed_not_screened").ConnectedLine();
        var unnamed = PatientIdentity.Of(new CallerId { Number = "+33612345678" }, "allowed_not_screened").ConnectedLine();

        Assert.That(named, Is.EqualTo(new Dictionary<string, string> { ["CONNECTEDLINE(num)"] = "+33612345678", ["CONNECTEDLINE(name)"] = "Hélène Dupré" }));
        Assert.That(unnamed["CONNECTEDLINE(name)"], Is.EqualTo("+33612345678"));
    }

    [Test]
    public void ConnectedLine_Withheld_IsProhibitedWithTheNumberOnlyForPAssertedIdentity()
    {
        var line = PatientIdentity.Of(new CallerId { Number = "+33612345678", Name = "Patient" }, "prohib_not_screened").ConnectedLine();

        Assert.That(line, Is.EqualTo(new Dictionary<string, string>
            { ["CONNECTEDLINE(num)"] = "+33612345678", ["CONNECTEDLINE(name)"] = "", ["CONNECTEDLINE(pres)"] = "prohib" }));
    }

    [Test]
    public void ConnectedLine_CallerIdThatIsNotANumber_SendsNoneOfIt()
    {
        var line = PatientIdentity.Of(new CallerId { Number = "\r\nX-Forged:1", Name = "Evil\r\nX-Forged: 1" }, "allowed").ConnectedLine("URGENT Tilleuls");

        Assert.That(line, Is.EqualTo(new Dictionary<string, string>
            { ["CONNECTEDLINE(num)"] = "", ["CONNECTEDLINE(name)"] = "URGENT Tilleuls", ["CONNECTEDLINE(pres)"] = "prohib" }));
    }

    [Test]
    public void ConnectedLine_NameWithControlCharacters_IsCleanedAndCut()
    {
        var line = PatientIdentity.Of(new CallerId { Number = "+33612345678", Name = "Evil\r\nX-Forged: 1" + new string('x', 60) }, null).ConnectedLine();

        Assert.That(line["CONNECTEDLINE(name)"], Does.StartWith("EvilX-Forged: 1xx").And.Length.EqualTo(40));
    }
}
