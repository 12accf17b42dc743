using NodaTime;

namespace PbxRouter.Routing.Tests.Compile;

public class RulesCompilerTests
{
    [Test]
    public void Compile_ValidFile_HasNoErrorAndNoWarning()
    {
        var result = ValidRules.CompileYaml(ValidRules.Yaml);
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        Assert.That(result.Warnings, Is.Empty, string.Join("\n", result.Warnings));
        Assert.That(result.Succeeded, Is.True);
    }

    [Test]
    public void Compile_Samples_HaveNoErrorAndNoWarning()
    {
        var result = SampleRules.Result;
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        Assert.That(result.Warnings, Is.Empty, string.Join("\n", result.Warnings));
    }

    [Test]
    public void Compile_PlanThatRunsOut_EndsWithTheEndOfPlanHangUp_ButAHangUpOfTheRulesIsNotOne()
    {
        var result = ValidRules.CompileYaml(ValidRules.With("lunch: [greeting, overflow]", "lunch: [{ announce: closed }, hangup]"));
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        var rules = result.Rules!;
        var patient = new CallRequest("+33145000000", "+33611111111", Instant.FromUtc(2026, 3, 2, 11, 30));
        var atLunch = RoutingDecision.Decide(rules, patient, RuntimeState.None);
        var open = RoutingDecision.Decide(rules, patient with { At = Instant.FromUtc(2026, 3, 2, 9, 0) }, RuntimeState.None);

        Assert.That(atLunch.PracticeState, Is.EqualTo(PracticeState.Lunch));
        Assert.That(atLunch.Steps[^1], Is.EqualTo(new Hangup("lunch: hang up")), "the rules' own hang-up really hangs up");
        Assert.That(open.Steps[^1], Is.SameAs(Hangup.AtEndOfPlan));
        Assert.That(open.UrgentSteps[^1], Is.SameAs(Hangup.AtEndOfPlan));
    }

    [Test]
    public void Compile_SharedSecretariatInAnotherFile_Resolves()
    {
        var shared = """
            secretariats:
              - { id: sec, number: "05 67 00 00 00" }
            """;
        var practice = ValidRules.Yaml[ValidRules.Yaml.IndexOf("practices:", StringComparison.Ordinal)..].Replace("    trunk: t1\n", "");
        var result = RulesCompiler.Compile([new RulesFile("shared.yaml", shared), new RulesFile("p1.yaml", practice)]);
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
    }

    [Test]
    public void Compile_ErrorsFromSeveralFiles_NameEachFile()
    {
        var result = RulesCompiler.Compile([new RulesFile("a.yaml", "trunks: 3"), new RulesFile("b.yaml", "practices: [1]")]);
        Assert.That(result.Errors.Select(e => e.File), Is.EquivalentTo(new[] { "a.yaml", "b.yaml" }));
    }

    [Test]
    public void ContentHash_IgnoresFolderAndLineEndings_ButNotContent()
    {
        var a = RulesCompiler.Compile([new RulesFile("x/p1.yaml", ValidRules.Yaml)]).Rules!;
        var b = RulesCompiler.Compile([new RulesFile("y/p1.yaml", ValidRules.Yaml.Replace("\n", "\r\n"))]).Rules!;
        var c = RulesCompiler.Compile([new RulesFile("x/p1.yaml", ValidRules.Yaml + "\n# changed")]).Rules!;
        Assert.That(a.ContentHash, Is.EqualTo(b.ContentHash));
        Assert.That(a.ContentHash, Is.Not.EqualTo(c.ContentHash));
        Assert.That(a.ContentHash, Has.Length.EqualTo(64));
    }

    [Test]
    public void ToJson_FromJson_RoundTripsToTheSameDecisions()
    {
        var rules = SampleRules.Rules;
        var restored = CompiledRules.FromJson(rules.ToJson());
        var request = new CallRequest("0145000000", "0611111111", Instant.FromUtc(2026, 12, 25, 9, 0));
        Assert.That(restored.ContentHash, Is.EqualTo(rules.ContentHash));
        Assert.That(PlanFormatter.ToJson(RoutingDecision.Decide(restored, request, RuntimeState.None)),
            Is.EqualTo(PlanFormatter.ToJson(RoutingDecision.Decide(rules, request, RuntimeState.None))));
    }

    [Test]
    public void FromJson_TamperedSources_Throws()
    {
        var json = ValidRules.CompileYaml(ValidRules.Yaml).Rules!.ToJson().Replace("Practice one", "Practice two");
        Assert.Throws<InvalidRulesException>(() => CompiledRules.FromJson(json));
    }

    [Test]
    public void TimeZoneFor_UnknownNumber_IsParis() =>
        Assert.That(SampleRules.Rules.TimeZoneFor("0199999999").Id, Is.EqualTo("Europe/Paris"));
}

public class DocumentationExampleTests
{
    [Test]
    public void RoutingYamlDoc_ErrorExample_IsWhatTheCompilerSays()
    {
        var docs = File.ReadAllLines(Path.Combine(SampleRules.RulesFolder, "..", "..", "docs", "routing-yaml.md"));
        var example = docs.Single(l => l.StartsWith("samples/rules/tilleuls.yaml:", StringComparison.Ordinal));
        var text = File.ReadAllText(Path.Combine(SampleRules.RulesFolder, "tilleuls.yaml"))
            .Replace("members: [accueil-1, accueil-2]", "members: [accueil-1, acceuil-2]");
        var result = RulesCompiler.Compile("samples/rules/tilleuls.yaml", text);
        Assert.That(result.Errors.Single().ToString(), Is.EqualTo(example));
    }
}
