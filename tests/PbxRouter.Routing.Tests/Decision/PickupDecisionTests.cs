using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Decision;

/// <summary>Which ringing patient's call the pickup code takes, and the code's place among the practice's feature codes.</summary>
public class PickupDecisionTests
{
    private static readonly DateTimeOffset Nine = DateTimeOffset.Parse("2026-11-24T09:00:00Z");

    [Test]
    public void Candidates_OnlyTheCallsOfThePhonesOwnPractice_NeverAnothers()
    {
        RingingCall[] ringing =
        [
            new("val-call", "val", ["accueil"], Nine),
            new("tilleuls-call", "tilleuls", ["accueil-1"], Nine.AddSeconds(30)),
        ];

        Assert.That(PickupDecision.Candidates("tilleuls", ringing).Select(c => c.CallId), Is.EqualTo(new[] { "tilleuls-call" }));
        Assert.That(PickupDecision.Candidates("lac", ringing), Is.Empty, "nothing of the practice rings: nothing to take");
    }

    [Test]
    public void Candidates_ThePatientWhoHasWaitedLongestComesFirst()
    {
        RingingCall[] ringing =
        [
            new("second", "tilleuls", ["accueil-2"], Nine.AddSeconds(40)),
            new("first", "tilleuls", ["accueil-1"], Nine),
            new("third", "tilleuls", ["accueil-1", "accueil-2"], Nine.AddMinutes(2)),
        ];

        Assert.That(PickupDecision.Candidates("tilleuls", ringing).Select(c => c.CallId), Is.EqualTo(new[] { "first", "second", "third" }));
    }

    [Test]
    public void Candidates_ACallThatRingsNoPhone_IsNotOffered()
    {
        Assert.That(PickupDecision.Candidates("tilleuls", [new RingingCall("c", "tilleuls", [], Nine)]), Is.Empty);
    }

    [Test]
    public void Validation_AFeatureCodeEqualToThePickupCode_IsACollision()
    {
        var yaml = With("{ code: \"*97\", voicemail: cabinet }", "{ code: \"*8\", voicemail: cabinet }");

        var error = Error(yaml, RuleErrorCodes.FeatureCodeCollision);

        Assert.That(error.Message, Does.Contain("the call pickup code *8"));
    }

    [Test]
    public void Validation_AFeatureCodeThatStartsWithThePickupCode_IsAPrefixError()
    {
        var yaml = With("{ code: \"*97\", voicemail: cabinet }", "{ code: \"*80\", voicemail: cabinet }");

        var error = Error(yaml, RuleErrorCodes.FeatureCodePrefix);

        Assert.That(error.Message, Does.Contain("the call pickup code *8 is a prefix of feature code '*80'"));
    }

    [Test]
    public void Validation_RulesWithOtherCodes_StayValid()
    {
        Assert.That(CompileYaml(ValidRules.Yaml).Errors, Is.Empty, "reserving *8 leaves *28 and *97 alone");
    }

    [Test]
    public void PhoneDial_ThePickupCode_IsCallPickup_FromEveryPhoneOfThePractice()
    {
        var rules = CompileYaml(ValidRules.Yaml).Rules!;
        var practice = rules.Model.Practices[0];

        foreach (var phone in practice.Phones)
        {
            var dial = PhoneDialDecision.Decide(rules, practice.Id.Value, phone.Id.Value, PickupDecision.Code);
            Assert.That(dial?.Kind, Is.EqualTo(PhoneDialKind.Pickup), phone.Id.Value);
        }
    }
}
