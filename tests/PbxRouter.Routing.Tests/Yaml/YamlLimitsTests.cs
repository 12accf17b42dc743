using System.Diagnostics;
using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Yaml;

/// <summary>Files made to exhaust the reader are refused at once with a located error (issue 7, fuzzing).</summary>
public class YamlLimitsTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(2);

    /// <summary>Aliases of aliases: 2 KB of YAML that expanded to 230,000 errors in 2 s, and grew as the cube of the list length.</summary>
    private static string BillionLaughs(int n)
    {
        string List(string item) => "[" + string.Join(", ", Enumerable.Repeat(item, n)) + "]";
        return $"""
            numbers: &n {List("\"01 45 00 00 00\"")}
            line: &l {"{"}id: l, numbers: *n{"}"}
            lines: &ls {List("*l")}
            practice: &p {"{"}id: p, name: x, numbers: *n, hours: {"{"}monday: ["08:00-12:00"]{"}"}, lines: *ls{"}"}
            practices: {List("*p")}
            """;
    }

    private static RuleError RefusedQuickly(string yaml, string code)
    {
        var clock = Stopwatch.StartNew();
        var error = Error(yaml, code);
        Assert.That(clock.Elapsed, Is.LessThan(Quick));
        return error;
    }

    [Test]
    public void Read_BillionLaughsAliases_IsRefusedAsTooLarge()
    {
        var yaml = BillionLaughs(60);
        var result = CompileYaml(yaml);
        var error = Single(result.Errors, RuleErrorCodes.TooLarge);
        Assert.That(error.Message, Does.Contain("aliases"));
        Assert.That(error.Hint, Does.Contain("&name"));
        Assert.That(error.Line, Is.EqualTo(5), "the alias that goes beyond the limit, in practices:");
        Assert.That(result.Errors, Has.Count.EqualTo(1), "nothing else is read");
    }

    [Test]
    public void Read_BillionLaughsAliasesOfAThousand_IsRefusedQuickly() =>
        RefusedQuickly(BillionLaughs(1_000), RuleErrorCodes.TooLarge);

    [TestCase(10_000)]
    [TestCase(100_000)]
    public void Read_DeepFlowNesting_IsRefusedQuickly(int depth)
    {
        var yaml = "practices: " + new string('[', depth) + new string(']', depth);
        var error = RefusedQuickly(yaml, RuleErrorCodes.TooLarge);
        Assert.That(error.Message, Does.Contain("nested more than 64 levels"));
        Assert.That((error.Line, error.Column), Is.EqualTo((1, 11 + YamlLimits.MaxDepth)), "at the first '[' too deep");
    }

    [Test]
    public void Read_AThousandLevelsOfBlockNesting_IsRefusedQuickly()
    {
        var yaml = "practices:" + string.Concat(Enumerable.Range(0, 1_000).Select(i => "\n" + new string(' ', i + 1) + "k:"));
        Assert.That(RefusedQuickly(yaml, RuleErrorCodes.TooLarge).Line, Is.EqualTo(YamlLimits.MaxDepth + 1));
    }

    [TestCase("practices: &a [*a]", 1)]
    [TestCase("&r\npractices:\n  - *r", 3)]
    public void Read_RecursiveAlias_IsAnError(string yaml, int line)
    {
        var error = RefusedQuickly(yaml, RuleErrorCodes.YamlSyntax);
        Assert.That(error.Message, Does.Contain("repeat forever"));
        Assert.That(error.Line, Is.EqualTo(line));
    }

    [Test]
    public void Read_FileOverAMillionCharacters_IsRefused()
    {
        var yaml = ValidRules.Yaml + "\n# " + new string('x', YamlLimits.MaxChars);
        Assert.That(RefusedQuickly(yaml, RuleErrorCodes.TooLarge).Message, Does.Contain("characters"));
    }

    [Test]
    public void Read_TooManyValuesWithoutAliases_IsRefused()
    {
        var yaml = "practices: [" + string.Join(",", Enumerable.Repeat("1", YamlLimits.MaxValues)) + "]";
        Assert.That(RefusedQuickly(yaml, RuleErrorCodes.TooLarge).Hint, Does.Not.Contain("alias"));
    }

    [Test]
    public void Read_AnchorReusedAsUsual_StillCompiles()
    {
        var yaml = With("      weekdays: [\"08:00-12:00\", \"14:00-19:00\"]",
            "      weekdays: &day [\"08:00-12:00\", \"14:00-19:00\"]\n      saturday: *day");
        var result = CompileYaml(yaml);
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
    }

    [Test]
    public void Read_AnchorRedefinedInsideItself_IsNotRecursive()
    {
        var result = CompileYaml("practices: &a [&a {id: p}, *a]");
        Assert.That(result.Errors.Select(e => e.Code), Has.None.EqualTo(RuleErrorCodes.TooLarge).And.None.EqualTo(RuleErrorCodes.YamlSyntax));
    }
}
