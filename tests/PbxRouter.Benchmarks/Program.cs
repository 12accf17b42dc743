using BenchmarkDotNet.Running;
using PbxRouter.Benchmarks;

// `--latency`: percentiles and apply time (quick); anything else: BenchmarkDotNet (e.g. --filter *Routing*).
if (args.Contains("--latency"))
{
    await LatencyReport.RunAsync();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(LatencyReport).Assembly).Run(args);
