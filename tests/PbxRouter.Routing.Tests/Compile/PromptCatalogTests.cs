using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Compile;

public class PromptCatalogTests
{
    private static CallPlan Closed(CompiledRules rules, string number = "0145000000") =>
        RoutingDecision.Decide(rules, new CallRequest(number, "0611111111", Instant.FromUtc(2026, 3, 1, 10, 0)), RuntimeState.None); // a Sunday

    private static CallPlan Open(CompiledRules rules, string number = "0145000000") =>
        RoutingDecision.Decide(rules, new CallRequest(number, "0611111111", Instant.FromUtc(2026, 3, 2, 9, 0)), RuntimeState.None);

    [Test]
    public void Of_TextOnlyGreetingAndMessage_GetNamesOfTheirOwn()
    {
        var rules = CompileYaml(ValidRules.Yaml).Rules!;
        var prompts = PromptCatalog.Of(rules.Model);
        Assert.That(prompts.Select(p => (p.Name, p.Text)), Is.EqualTo(new[]
        {
            ("p1/greeting", "Bonjour."),
            ("p1/message-closed", "Fermé. Urgence vitale : appelez le 15. Médecin de garde : 116 117."),
        }));
        Assert.That(prompts[0].At.Field, Is.EqualTo("practices[0].greeting"));
    }

    [Test]
    public void Plan_WithoutSound_PlaysThePromptRenderedFromItsText()
    {
        var rules = CompileYaml(ValidRules.Yaml).Rules!;
        Assert.That(((PlayGreeting)Open(rules).Steps[0]).Sound, Is.EqualTo("p1/greeting"));
        Assert.That(((Announce)Closed(rules).Steps[0]).Prompt, Is.EqualTo("p1/message-closed"));
    }

    [Test]
    public void Plan_WithSound_PlaysThatName()
    {
        var rules = CompileYaml(With("greeting: { text: \"Bonjour.\" }", "greeting: { sound: p1-bonjour, text: \"Bonjour.\" }")).Rules!;
        Assert.That(((PlayGreeting)Open(rules).Steps[0]).Sound, Is.EqualTo("p1-bonjour"));
        Assert.That(PromptCatalog.Of(rules.Model).Select(p => p.Name), Does.Contain("p1-bonjour"));
    }

    [Test]
    public void Plan_LineWithItsOwnGreeting_PlaysTheLinesPromptAndKeepsThePracticesMessage()
    {
        var yaml = With("    routes:", "    lines:\n      - { id: l1, numbers: [\"01 45 00 00 99\"], greeting: { text: \"Ligne un, bonjour.\" } }\n    routes:");
        var rules = CompileYaml(yaml).Rules!;
        Assert.That(((PlayGreeting)Open(rules, "0145000099").Steps[0]).Sound, Is.EqualTo("p1/line-l1/greeting"));
        Assert.That(((Announce)Closed(rules, "0145000099").Steps[0]).Prompt, Is.EqualTo("p1/message-closed"));
        Assert.That(PromptCatalog.Of(rules.Model).Select(p => p.Name), Does.Contain("p1/line-l1/greeting"));
    }

    [TestCase("../etc/passwd")]
    [TestCase("a b")]
    [TestCase("sound:custom/x")]
    public void Validate_SoundThatIsNoPlainName_IsAnError(string sound)
    {
        var yaml = With("greeting: { text: \"Bonjour.\" }", $"greeting: {{ sound: \"{sound}\", text: \"Bonjour.\" }}");
        var error = Error(yaml, RuleErrorCodes.InvalidValue);
        Assert.That(error.Field, Is.EqualTo("practices[0].greeting.sound"));
    }

    [Test]
    public void Validate_OneSoundWithTwoTexts_IsAnError()
    {
        var yaml = With("greeting: { text: \"Bonjour.\" }", "greeting: { sound: same, text: \"Bonjour.\" }")
            .Replace("closed: \"Fermé.", "closed: { sound: same, text: \"Fermé.").Replace("116 117.\"", "116 117.\" }");
        Assert.That(Error(yaml, RuleErrorCodes.DuplicateId).Message, Does.Contain("prompt 'same'"));
    }
}
