using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;

namespace PbxRouter.Benchmarks;

/// <summary>Throughput of posting N events spread over M calls and handling them all (ordered per call).</summary>
[MemoryDiagnoser]
public class CallEventQueuesBenchmarks
{
    private AriEvent[] _events = [];
    private CallEventQueues _queues = null!;

    [Params(10_000)]
    public int Events { get; set; }

    [Params(1, 10, 100, 1000)]
    public int Calls { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var channels = Enumerable.Range(0, Calls).Select(i => new Channel { Id = $"call-{i}" }).ToArray();
        _events = Enumerable.Range(0, Events)
            .Select(i => (AriEvent)new ChannelDtmfReceived { Type = "ChannelDtmfReceived", Channel = channels[i % Calls], Digit = "1" })
            .ToArray();
        _queues = new CallEventQueues((_, _) => ValueTask.CompletedTask, NullLogger.Instance, capacityPerCall: Events);
    }

    [GlobalCleanup]
    public void Cleanup() => _queues.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public async Task PostAndDrain()
    {
        foreach (var e in _events) _queues.Post(e);
        await _queues.DrainAsync();
    }
}
