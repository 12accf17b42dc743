using System.Diagnostics;
using NodaTime;
using PbxRouter.Routing;

namespace PbxRouter.Benchmarks;

/// <summary>
/// `dotnet run -c Release -- --latency`: per-call decision latency percentiles (BenchmarkDotNet reports means),
/// and the wall time of validate+apply for 500 practices, printed next to the goals.
/// </summary>
public static class LatencyReport
{
    public static async Task RunAsync()
    {
        var rules = Platform.Compile(500);
        var zone = DateTimeZoneProviders.Tzdb["Europe/Paris"];
        var start = new LocalDateTime(2026, 11, 23, 0, 0).InZoneLeniently(zone).ToInstant();
        var requests = Enumerable.Range(0, 10_000).Select(i => new CallRequest(
            SamplePlatform.NumberOf(i % 500), "+336" + (10000000 + i), start + Duration.FromMinutes(i * 37 % (14 * 24 * 60)))).ToArray();
        for (var i = 0; i < 200_000; i++) RoutingDecision.Decide(rules, requests[i % requests.Length], RuntimeState.None); // warm-up
        var samples = new double[1_000_000];
        for (var i = 0; i < samples.Length; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            RoutingDecision.Decide(rules, requests[i % requests.Length], RuntimeState.None);
            samples[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }
        Array.Sort(samples);
        double P(double q) => samples[(int)(q * (samples.Length - 1))];
        Console.WriteLine($"Decision, 500 practices, {samples.Length:N0} calls over two weeks of instants:");
        Console.WriteLine($"  p50 {P(0.50):F2} µs   p90 {P(0.90):F2} µs   p99 {P(0.99):F2} µs   p99.9 {P(0.999):F2} µs   max {samples[^1]:F1} µs   (goal: p99 < 20 µs)");

        var files = SamplePlatform.Generate(500);
        var folder = Path.Combine(Path.GetTempPath(), "pbxrouter-latency-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var times = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            var t0 = Stopwatch.GetTimestamp();
            await Platform.ValidateAndApplyAsync(files, Path.Combine(folder, $"r{round}.db"));
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        Directory.Delete(folder, recursive: true);
        var bytes = files.Sum(f => f.Text.Length);
        Console.WriteLine($"Validate + compile + apply, 500 practices ({files.Count} files, {bytes / 1024} KiB of YAML), 5 rounds:");
        Console.WriteLine($"  first {times[0]:F0} ms (cold)   best {times.Min():F0} ms   median {times.Order().ElementAt(2):F0} ms   (goal: < 2000 ms)");
    }
}
