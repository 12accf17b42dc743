using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Flows.PracticeCalls;

namespace PbxRouter.IntegrationTests.Flows;

/// <summary>
/// A patient who withholds their number (From anonymous, the real number only in P-Asserted-Identity with Privacy: id;
/// the trunk has trust_id_inbound) stays withheld on the legs the engine places; the call record keeps the number.
/// </summary>
[TestFixture]
public sealed class WithheldCallerTests : PracticeFixture
{
    private const string Withheld = "+33630000021";

    [Test]
    public async Task WithheldCaller_OverflowedAtLunch_ReachesTheSecretariatAsAnonymous()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Lunch);
        var secretariat = Sipp.Secretariat(Asterisk);
        var patient = Sipp.Patient(Asterisk, "patient-withheld.xml", PracticeNumber, Withheld, holdMs: 1500);
        var invite = await Sipp.InviteAtSecretariatAsync(patient, secretariat);

        TestContext.Out.WriteLine("INVITE>>> " + invite); AssertAnonymous(invite, Withheld);
        Assert.That(invite, Does.Match(@"(?m)^Diversion:.*\+33145000000"), "the practice's number still travels");
        var record = await practice.RecordOfAsync(Withheld);
        Assert.Multiple(() =>
        {
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Overflowed), Describe(record));
            Assert.That(record.CallerNumber, Is.EqualTo(Withheld), "the record keeps the number (from P-Asserted-Identity)");
            Assert.That(record.CallerWithheld, Is.True, "and marks it withheld");
            Assert.That(record.Steps[0].Detail, Does.Contain("caller withheld"), Describe(record));
        });
    }

    [Test]
    public async Task WithheldCaller_WhenOpen_RingsTheReceptionPhonesAsAnonymous()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var phone = await practice.PhoneAsync("accueil-1", "phone-answers.xml");
        var other = await practice.PhoneAsync("accueil-2", "phone-rings.xml");
        var patient = Sipp.Patient(Asterisk, "patient-withheld.xml", PracticeNumber, Withheld, holdMs: 1500);

        var results = await Sipp.AllSucceedAsync(patient, phone, other);

        AssertAnonymous(results[1].Received("INVITE")!, Withheld);
        AssertAnonymous(results[2].Received("INVITE")!, Withheld);
        var record = await practice.RecordOfAsync(Withheld);
        Assert.That(record.AnsweredBy, Is.EqualTo("accueil-1"), Describe(record));
    }

    /// <summary>From and Contact carry no number; a P-Asserted-Identity, if sent, is marked private.</summary>
    internal static void AssertAnonymous(string invite, string number)
    {
        var digits = number.TrimStart('+')[1..]; // the number without +33 or 0: matches national and international forms
        var from = Header(invite, "From");
        Assert.Multiple(() =>
        {
            Assert.That(from, Does.Contain("anonymous").IgnoreCase, invite);
            Assert.That(from, Does.Not.Contain(digits), "no number in From or its display name");
            Assert.That(Header(invite, "Contact"), Does.Not.Contain(digits), invite);
            Assert.That(Header(invite, "Remote-Party-ID"), Does.Not.Contain(digits), invite);
            if (Header(invite, "P-Asserted-Identity").Length > 0)
                Assert.That(Header(invite, "Privacy"), Does.Contain("id"), "an identity sent on must be marked private:\n" + invite);
        });
    }

    private static string Header(string message, string name) =>
        string.Join("\n", message.Split('\n').Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)));
}
