namespace PbxRouter.Routing.Tests.Samples;

public class SamplePlatformTests
{
    [Test]
    public void Generate_500Practices_CompilesWithoutErrorOrWarning()
    {
        var files = SamplePlatform.Generate(500);
        var result = RulesCompiler.Compile(files);
        Assert.That(files, Has.Count.EqualTo(500));
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors.Take(10)));
        Assert.That(result.Warnings, Is.Empty, string.Join("\n", result.Warnings.Take(10)));
        Assert.That(result.Rules!.Numbers, Has.Count.EqualTo(500));
    }

    [Test]
    public void Generate_EachPracticeOverflowsWithItsOwnTag()
    {
        var rules = RulesCompiler.Compile(SamplePlatform.Generate(3)).Rules!;
        var plan = RoutingDecision.Decide(rules, new CallRequest(SamplePlatform.NumberOf(2), "", Instant.FromUtc(2026, 3, 2, 12, 0)), RuntimeState.None);
        Assert.That(plan.PracticeId, Is.EqualTo("cabinet-0002"));
        Assert.That(plan.Steps.OfType<Overflow>().Single().Targets.Single().Headers["X-Practice"], Is.EqualTo("cabinet-0002"));
    }

    [Test]
    public void Generate_OutOfRange_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => SamplePlatform.Generate(0));
}
