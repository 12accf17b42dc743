namespace PbxRouter.Routing.Tests;

/// <summary>Loads the sample rules of the repository and builds instants in Paris time.</summary>
internal static class SampleRules
{
    public static readonly DateTimeZone Paris = DateTimeZoneProviders.Tzdb["Europe/Paris"];

    public static string RulesFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, "samples", "rules"))) return Path.Combine(dir.FullName, "samples", "rules");
            throw new DirectoryNotFoundException("samples/rules not found above the test directory");
        }
    }

    private static readonly Lazy<CompileResult> All = new(() => RulesCompiler.Compile(RulesSource.Load(RulesFolder)));

    public static CompileResult Result => All.Value;

    public static CompiledRules Rules => All.Value.Rules ?? throw new AssertionException(string.Join("\n", All.Value.Errors));

    /// <summary>The instant of a Paris wall-clock time given as "2026-12-25 10:00".</summary>
    public static Instant Paris_(string local)
    {
        Assert.That(LocalTimes.TryParse(local, out var l), Is.True, local);
        return LocalTimes.ToInstant(l, Paris);
    }

    public static CallPlan Decide(string called, string caller, string local, RuntimeState? state = null) =>
        RoutingDecision.Decide(Rules, new CallRequest(called, caller, Paris_(local)), state ?? RuntimeState.None);

}
