using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Validation;

public class NumberChecksTests
{
    private const string Other = """
        practices:
          - id: p2
            name: Practice two
            numbers: ["+33 1 45 00 00 00"]
            hours: { weekdays: ["08:00-12:00"] }
            messages: { closed: "Fermé. Urgence vitale : le 15. Médecin de garde : 116 117." }
            routes: { open: [{ announce: closed }, hangup], closed: [{ announce: closed }, hangup] }
        """;

    [Test]
    public void Check_NumberInTwoPractices_NamesBothFiles()
    {
        var result = RulesCompiler.Compile([new RulesFile("p1.yaml", ValidRules.Yaml), new RulesFile("p2.yaml", Other)]);
        var error = Single(result.Errors, RuleErrorCodes.DuplicateNumber);
        var (line, column) = Find(Other, "\"+33 1 45 00 00 00\"");
        Assert.Multiple(() =>
        {
            Assert.That(error.File, Is.EqualTo("p2.yaml"));
            Assert.That((error.Line, error.Column), Is.EqualTo((line, column)));
            Assert.That(error.Field, Is.EqualTo("practices[0].numbers[0]"));
            Assert.That(error.Message, Does.Contain("practice 'p1'").And.Contain("p1.yaml:"));
        });
    }

    [Test]
    public void Check_SecretariatWithThePracticeNumber_WouldLoop()
    {
        var yaml = With("number: \"05 67 00 00 00\"", "number: \"01 45 00 00 00\"");
        var error = Error(yaml, RuleErrorCodes.DuplicateNumber);
        Assert.That(error.Field, Is.EqualTo("secretariats[0].number"));
        Assert.That(error.Message, Does.Contain("loop"));
    }

    [Test]
    public void Check_VipAlsoBlocked_IsAnError()
    {
        var yaml = With("    routes:", "    callers:\n      vip: [{ name: Lab, numbers: [\"01 40 00 00 00\"] }]\n      blocked: [\"0140000000\"]\n    routes:");
        AssertAt(Error(yaml, RuleErrorCodes.DuplicateNumber), yaml, "\"0140000000\"", "practices[0].callers.blocked[0]");
    }

    [Test]
    public void Check_SameVipNumberInTwoEntries_IsAcceptedInsteadOfCrashing()
    {
        var yaml = With("    routes:", "    callers:\n      vip:\n        - { name: Lab, numbers: [\"01 40 00 00 00\"] }\n" +
            "        - { name: Lab again, numbers: [\"0140000000\"] }\n    routes:");
        var result = CompileYaml(yaml);
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
    }
}
