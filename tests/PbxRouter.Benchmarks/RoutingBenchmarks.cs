using BenchmarkDotNet.Attributes;
using NodaTime;
using PbxRouter.Routing;

namespace PbxRouter.Benchmarks;

/// <summary>The routing decision for the 500-practice platform of the samples (goal: p99 under 20 µs per call).</summary>
[MemoryDiagnoser]
public class RoutingDecisionBenchmarks
{
    private CompiledRules _rules = null!;
    private CallRequest _open = null!, _lunch = null!, _holiday = null!, _unknown = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rules = Platform.Compile(500);
        var zone = DateTimeZoneProviders.Tzdb["Europe/Paris"];
        Instant At(int y, int m, int d, int h, int min) => new LocalDateTime(y, m, d, h, min).InZoneLeniently(zone).ToInstant();
        var number = SamplePlatform.NumberOf(250);
        _open = new CallRequest(number, "+33612345678", At(2026, 11, 24, 9, 30));
        _lunch = new CallRequest(number, "+33612345678", At(2026, 11, 24, 13, 0));
        _holiday = new CallRequest(number, "+33612345678", At(2026, 12, 25, 10, 0));
        _unknown = new CallRequest("+33199999999", "+33612345678", At(2026, 11, 24, 9, 30));
    }

    [Benchmark(Baseline = true)] public CallPlan Open() => RoutingDecision.Decide(_rules, _open, RuntimeState.None);
    [Benchmark] public CallPlan Lunch() => RoutingDecision.Decide(_rules, _lunch, RuntimeState.None);
    [Benchmark] public CallPlan Holiday() => RoutingDecision.Decide(_rules, _holiday, RuntimeState.None);
    [Benchmark] public CallPlan UnknownNumber() => RoutingDecision.Decide(_rules, _unknown, RuntimeState.None);
}

/// <summary>Validate + compile + apply (SQLite, one transaction) of the 500-practice platform (goal: under 2 s).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class RulesApplyBenchmarks
{
    private IReadOnlyList<RulesFile> _files = null!;
    private string _folder = null!;
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        _files = SamplePlatform.Generate(500);
        _folder = Path.Combine(Path.GetTempPath(), "pbxrouter-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_folder);
    }

    [Benchmark]
    public CompileResult Validate500() => RulesCompiler.Compile(_files);

    [Benchmark]
    public int ValidateAndApply500() => Platform.ValidateAndApplyAsync(_files, Path.Combine(_folder, $"apply-{_round++}.db")).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);
}
