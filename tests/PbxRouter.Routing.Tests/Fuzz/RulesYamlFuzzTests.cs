using System.Text;
using PbxRouter.Fuzzing;

namespace PbxRouter.Routing.Tests.Fuzz;

/// <summary>Random and mutated rules files: the compiler answers with compiled rules or located errors, never with an
/// exception, never slowly, and rules it accepts can route calls. Seed and count: see <see cref="FuzzSettings"/>.</summary>
[Category("Fuzz")]
public class RulesYamlFuzzTests
{
    private const string FileName = "fuzz.yaml";
    private static readonly string[] Callers = ["+33612345678", "anonymous", ""];
    private static readonly Instant[] Instants = [.. new[] { "2026-03-02 10:00", "2026-03-29 02:30", "2026-12-25 23:59" }.Select(ParisTime)];

    private static readonly string[] YamlTokens =
    [
        "!!python/object/apply:os.system [\"id\"]", "!!python/object:__main__.X {}", "!!binary aGVsbG8=", "!!int ", "!!float ", "!!str ",
        "!!map ", "!!seq ", "!!set ", "!!timestamp ", "!custom ", "!<tag:evil,2000:x> ", "&a ", "*a", "&b [*a, *a, *a, *a]", "<<: *a", "<<: ",
        "? ", "- ", "| ", ">- ", "|+\n", "---\n", "...\n", "%YAML 1.1\n", "%TAG ! tag:evil,2000:\n", "%FOO bar\n", "# comment", "'it''s'",
        "{a: [b, {c: d}]}", "[[[[[[[[[[", "{{{{{{{{", "\"\\x00\\uD800\\U0010FFFF\"", "2024-02-30", "2024-02-29", "1900-01-01", "12-25", "02-30",
        "24:00-24:00", "00:00-24:00", "25:61-26:00", "08:00-07:00", "*21", "#31#", "\"*99\"", "+33 1 45 00 00 00", "0033145000000", "00", "+",
        "112", "15", "116 117", "Europe/Paris", "Mars/Olympus", "America/Cayenne", "1m30s", "86401s", "99999h", "sip:", "sips:x@y", "::1/129",
    ];

    private static readonly Lazy<Mutator> Inputs = new(() => new Mutator(Seeds(), YamlTokens.Concat(Keys().Select(k => k + ": ")),
        YamlStructureMutations.Mutate));

    [Test]
    public void Compile_FuzzedRules_AnswersWithRulesOrLocatedErrors()
    {
        var report = FuzzRunner.Run("rules-yaml", FuzzSettings.FromEnvironment(defaultIterations: 3_000), Inputs.Value, TryRules,
            TestContext.Progress.WriteLine);

        TestContext.Out.WriteLine(report.Summary);
        if (report.Failure is { } failure) Assert.Fail(failure.ToString());
        Assert.That(report.Inputs, Is.GreaterThan(0), "no input was tried");
    }

    /// <summary>Every sample of the repository: samples/, the integration tests' rules and the unit tests' small valid file.</summary>
    internal static List<byte[]> Seeds()
    {
        var root = FuzzSettings.RepositoryRoot();
        var files = new[] { "samples/rules", "samples/demo", "samples/bench", "tests/PbxRouter.IntegrationTests/Rules" }
            .SelectMany(dir => Directory.GetFiles(Path.Combine(root, dir), "*.yaml"));
        return [.. files.Select(File.ReadAllBytes), Encoding.UTF8.GetBytes(ValidRules.Yaml)];
    }

    private static IEnumerable<string> Keys() => typeof(YamlKeys).GetFields()
        .Where(f => f.FieldType == typeof(string[])).SelectMany(f => (string[])f.GetValue(null)!).Distinct();

    private static string TryRules(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var result = RulesCompiler.Compile(FileName, text);

        FuzzAssert.That(result.Succeeded == (result.Errors.Count == 0), "compiled rules come with no error, errors with no rules");
        foreach (var e in result.Errors.Concat(result.Warnings))
            FuzzAssert.That(e.File == FileName && e.Line >= 1 && e.Column >= 1 && e.Field is not null && e.Message.Length > 0 && e.Code.Length > 0,
                () => $"an error without its file, line, column, field, message or code: {e}");
        // Counting catches blow-ups (aliases expanded into millions of values) long before they are slow.
        var reported = result.Errors.Count + result.Warnings.Count;
        FuzzAssert.That(reported <= 64 + text.Length, () => $"{reported} errors and warnings for {text.Length} characters");
        if (result.Rules is not { } rules) return result.Errors.Any(e => e.Code == RuleErrorCodes.YamlSyntax) ? "syntax error" : "rejected";

        RouteEveryNumber(rules);
        FuzzAssert.That(CompiledRules.FromJson(rules.ToJson()).ContentHash == rules.ContentHash, "the rules do not survive their JSON snapshot");
        return "compiled";
    }

    private static Instant ParisTime(string local) =>
        LocalTimes.TryParse(local, out var time) ? LocalTimes.ToInstant(time, SampleRules.Paris) : throw new FormatException(local);

    private static void RouteEveryNumber(CompiledRules rules)
    {
        foreach (var number in rules.Numbers.Take(20))
            foreach (var at in Instants)
                foreach (var caller in Callers)
                {
                    var plan = RoutingDecision.Decide(rules, new CallRequest(number, caller, at), RuntimeState.None);
                    FuzzAssert.That(PlanFormatter.ToText(plan).Length > 0, "an empty explanation");
                }
    }
}
