using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Decision;

public class PhoneDialDecisionTests
{
    /// <summary>Two practices: p1 (ValidRules) with a line and a box per phone, and p2 with an extension of its own.</summary>
    private static readonly CompiledRules Rules = Compile(With("""
              - { id: dr-a, extension: "201", password_env: P1_DRA, mobile: "06 12 34 56 78" }
        """, """
              - { id: dr-a, name: Dr A, extension: "201", password_env: P1_DRA, mobile: "06 12 34 56 78", line: dr-a-line, voicemail: cabinet }
              - { id: dr-b, extension: "202", password_env: P1_DRB }
        """) + "\n" + """
            lines:
              - { id: dr-a-line, numbers: ["01 45 00 00 11"] }
          - id: p2
            name: Practice two
            numbers: ["04 72 00 00 00"]
            phones:
              - { id: accueil, extension: "301", password_env: P2_ACCUEIL }
            outgoing: { international: true, mobiles: false }
            hours: { every_day: ["08:00-20:00"] }
            messages: { closed: "Fermé. Urgence vitale : appelez le 15. Médecin de garde : 116 117." }
            voicemail_boxes: [{ id: box }]
            routes: { open: [{ announce: closed }, { voicemail: box }], closed: [{ announce: closed }, { voicemail: box }] }
        """);

    private static CompiledRules Compile(string yaml)
    {
        var result = CompileYaml(yaml);
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        return result.Rules!;
    }

    private static PhoneDial Dial(string practice, string phone, string dialled) => PhoneDialDecision.Decide(Rules, practice, phone, dialled)!;

    [TestCase("15")]
    [TestCase("112")]
    [TestCase("116117")]
    public void Decide_EmergencyNumber_GoesOutThroughTheTrunk_PresentingThePractice(string number)
    {
        var dial = Dial("p1", "accueil-1", number);
        Assert.That(dial.Kind, Is.EqualTo(PhoneDialKind.Emergency));
        Assert.That((dial.Destination, dial.CallerId, dial.Trunk), Is.EqualTo((number, "+33145000000", "t1")));
    }

    [Test]
    public void Decide_EmergencyFromAPhoneWithALine_PresentsTheLinesNumber() =>
        Assert.That(Dial("p1", "dr-a", "15").CallerId, Is.EqualTo("+33145000011"));

    [Test]
    public void Decide_Emergency_IsAllowedEvenWhenThePolicyAllowsNothing()
    {
        var rules = Compile(With("    trunk: t1\n", "    trunk: t1\n    outgoing: { national: false, mobiles: false, international: false, premium: false }\n"));
        Assert.That(PhoneDialDecision.Decide(rules, "p1", "accueil-1", "112")!.Kind, Is.EqualTo(PhoneDialKind.Emergency));
        Assert.That(PhoneDialDecision.Decide(rules, "p1", "accueil-1", "0145000000")!.Kind, Is.EqualTo(PhoneDialKind.Refused));
    }

    [Test]
    public void Decide_ByDefault_NationalAndMobilesGoOut_InE164()
    {
        var national = Dial("p1", "accueil-1", "0140000000");
        var mobile = Dial("p1", "accueil-1", "06 11 22 33 44".Replace(" ", ""));
        Assert.That((national.Kind, national.Destination, national.NumberKind), Is.EqualTo((PhoneDialKind.Outside, "+33140000000", NumberKind.National)));
        Assert.That((mobile.Kind, mobile.Destination, mobile.NumberKind), Is.EqualTo((PhoneDialKind.Outside, "+33611223344", NumberKind.Mobile)));
        Assert.That(national.Why, Does.Contain("by default national: true"));
    }

    [TestCase("+442071234567", NumberKind.International)]
    [TestCase("0899123456", NumberKind.Premium)]
    [TestCase("3949", NumberKind.Premium)]
    public void Decide_ByDefault_InternationalAndPremiumAreRefused(string dialled, NumberKind kind)
    {
        var dial = Dial("p1", "accueil-1", dialled);
        Assert.That((dial.Kind, dial.NumberKind), Is.EqualTo((PhoneDialKind.Refused, kind)));
        Assert.That(dial.Why, Does.Contain("not allowed"));
    }

    [Test]
    public void Decide_ThePracticesPolicy_OverridesTheDefaults()
    {
        Assert.That(Dial("p2", "accueil", "+442071234567").Kind, Is.EqualTo(PhoneDialKind.Outside));
        var mobile = Dial("p2", "accueil", "0612345678");
        Assert.That(mobile.Kind, Is.EqualTo(PhoneDialKind.Refused));
        Assert.That(mobile.Why, Does.Contain("outgoing.mobiles: false"));
        Assert.That(Dial("p2", "accueil", "0140000000").Kind, Is.EqualTo(PhoneDialKind.Outside), "national stays allowed by default");
    }

    [Test]
    public void Decide_AnExtensionOfThePractice_IsAnInternalCall_WithTheTargetsBox()
    {
        var dial = Dial("p1", "accueil-1", "201");
        Assert.That((dial.Kind, dial.TargetPhone, dial.Voicemail?.Box), Is.EqualTo((PhoneDialKind.Internal, "dr-a", "cabinet")));
        var noBox = Dial("p1", "dr-a", "202");
        Assert.That((noBox.Kind, noBox.TargetPhone, noBox.Voicemail), Is.EqualTo((PhoneDialKind.Internal, "dr-b", (Voicemail?)null)));
    }

    [Test]
    public void Decide_AnotherPracticesExtension_IsNeverReached()
    {
        var dial = Dial("p1", "accueil-1", "301");
        Assert.That(dial.Kind, Is.EqualTo(PhoneDialKind.Refused));
        Assert.That(dial.TargetPhone, Is.Null);
        Assert.That(Dial("p2", "accueil", "201").Kind, Is.EqualTo(PhoneDialKind.Refused));
    }

    [Test]
    public void Decide_OwnExtension_IsRefused() => Assert.That(Dial("p1", "accueil-1", "101").Kind, Is.EqualTo(PhoneDialKind.Refused));

    [Test]
    public void Decide_AFeatureCode_IsLeftToTheFeatureCodes()
    {
        Assert.That(Dial("p1", "accueil-1", "*28").Kind, Is.EqualTo(PhoneDialKind.FeatureCode));
        Assert.That(Dial("p1", "accueil-1", "*99").Kind, Is.EqualTo(PhoneDialKind.Refused));
    }

    [Test]
    public void Decide_UnknownPhoneOrPractice_IsNull()
    {
        Assert.That(PhoneDialDecision.Decide(Rules, "p1", "nobody", "15"), Is.Null);
        Assert.That(PhoneDialDecision.Decide(Rules, "p9", "accueil-1", "15"), Is.Null);
    }

    [Test]
    public void Validate_OutgoingPolicy_WrongTypeAndUnknownField_NameTheLine()
    {
        var yaml = With("    trunk: t1\n", "    trunk: t1\n    outgoing: { premium: yes, internationl: true }\n");
        var errors = CompileYaml(yaml).Errors;
        AssertAt(Single(errors, RuleErrorCodes.WrongType), yaml, "yes", "practices[0].outgoing.premium");
        var unknown = Single(errors, RuleErrorCodes.UnknownField);
        AssertAt(unknown, yaml, "internationl", "practices[0].outgoing.internationl");
        Assert.That(unknown.Hint, Does.Contain("international"));
    }

    [Test]
    public void Validate_PhoneLineAndVoicemail_MustExist()
    {
        var yaml = With("{ id: dr-a, extension: \"201\",", "{ id: dr-a, extension: \"201\", line: nope, voicemail: cabinett,");
        var errors = CompileYaml(yaml).Errors.Where(e => e.Code == RuleErrorCodes.UnknownReference).ToList();
        Assert.That(errors.Select(e => e.Field), Is.EquivalentTo(new[] { "practices[0].phones[2].line", "practices[0].phones[2].voicemail" }));
    }

    [Test]
    public void Validate_ExtensionStartingWithZero_IsAnError()
    {
        var yaml = With("extension: \"201\"", "extension: \"0201\"");
        AssertAt(Error(yaml, RuleErrorCodes.FeatureCodePrefix), yaml, "\"0201\"", "practices[0].phones[2].extension");
    }
}
