namespace PbxRouter.Routing.Tests.Compile;

/// <summary>Whatever is typed, the compiler answers with errors, never with an exception.</summary>
public class RulesCompilerRobustnessTests
{
    private static IEnumerable<string> SampleLines(string name) =>
        File.ReadAllLines(Path.Combine(SampleRules.RulesFolder, name));

    [TestCase("tilleuls.yaml")]
    [TestCase("val.yaml")]
    public void Compile_SampleWithAnyLineRemovedDuplicatedOrCut_NeverThrows(string name)
    {
        var lines = SampleLines(name).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            var removed = lines.Where((_, j) => j != i);
            var duplicated = lines.Take(i + 1).Append(lines[i]).Concat(lines.Skip(i + 1));
            var cut = lines.Take(i);
            var shifted = lines.Select((l, j) => j == i ? " " + l : l);
            foreach (var variant in new[] { removed, duplicated, cut, shifted })
            {
                var text = string.Join("\n", variant);
                CompileResult? result = null;
                Assert.DoesNotThrow(() => result = RulesCompiler.Compile(name, text), $"line {i + 1}");
                Assert.That(result!.Errors.All(e => e.Line >= 1 && e.Column >= 1 && e.File == name), $"line {i + 1}");
            }
        }
    }

    [Test]
    public void Compile_DuplicateKey_IsASyntaxErrorAtTheSecondKey()
    {
        var yaml = ValidRules.With("    name: Practice one", "    name: Practice one\n    name: Practice 1");
        var error = ValidRules.Error(yaml, RuleErrorCodes.YamlSyntax);
        Assert.That(error.Line, Is.EqualTo(ValidRules.Find(yaml, "name: Practice 1").Line));
    }

    [Test]
    public void Compile_PracticeRepeatedByAliases_ReportsEachProblemOnce()
    {
        var practice = ValidRules.Yaml[ValidRules.Yaml.IndexOf("  - id: p1", StringComparison.Ordinal)..]
            .Replace("  - id: p1", "  - &p\n    id: p1").Replace("    trunk: t1\n", "    trunk: t1\n    bogus: 1\n");
        var yaml = "practices:\n" + practice + string.Concat(Enumerable.Repeat("\n  - *p", 50));

        var result = RulesCompiler.Compile("aliases.yaml", yaml);

        Assert.That(result.Errors.Count(e => e.Code == RuleErrorCodes.UnknownField), Is.EqualTo(1), string.Join("\n", result.Errors.Take(5)));
        Assert.That(result.Errors.Count(e => e.Code == RuleErrorCodes.DuplicateId), Is.EqualTo(1));
        Assert.That(result.Errors, Has.Count.LessThan(10));
    }

    [TestCase("")]
    [TestCase("- a\n- b")]
    [TestCase("just text")]
    [TestCase("practices:\n  - 42")]
    [TestCase("practices:\n  - id: p\n    lines: [1, 2]")]
    [TestCase("practices:\n  - id: p\n    routes: { open: { a: b } }")]
    [TestCase("practices:\n  - id: p\n    hours: { monday: { a: b } }")]
    [TestCase("practices:\n  - id: p\n    modes: [{ id: m, steps: [{ announce: [1] }] }]")]
    [TestCase("practices:\n  - &a { id: p }\n  - *a")]
    [TestCase("\t- tab")]
    public void Compile_Oddities_NeverThrow(string yaml) => Assert.DoesNotThrow(() => RulesCompiler.Compile("odd.yaml", yaml));
}
