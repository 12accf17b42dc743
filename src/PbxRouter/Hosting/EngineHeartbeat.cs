using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Watchdog;

namespace PbxRouter.Hosting;

/// <summary>
/// The engine's sign of life for `pbxrouter watchdog`: while the ARI WebSocket is connected, rewrites the global variable
/// <see cref="Heartbeat.VariableFor"/> every <see cref="WatchdogOptions.HeartbeatEvery"/>. It stops with the process
/// (kill -9 included), which is what the watchdog waits for.
/// </summary>
public sealed class EngineHeartbeat(AriClient ari, WatchdogOptions options, TimeProvider time, ILogger<EngineHeartbeat> logger) : BackgroundService
{
    private readonly string _boot = Guid.NewGuid().ToString("N")[..8];
    private long _sequence;
    private bool _failing;

    /// <summary>Heartbeats written since start.</summary>
    public long Written => Interlocked.Read(ref _sequence);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var name = Heartbeat.VariableFor(ari.Options.Application);
        using var timer = new PeriodicTimer(options.HeartbeatEvery, time);
        try
        {
            do
            {
                if (ari.Health.IsConnected) await BeatAsync(name, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task BeatAsync(string name, CancellationToken ct)
    {
        try
        {
            await ari.AsteriskInfo.SetGlobalVariableAsync(name, Heartbeat.Value(_boot, _sequence + 1), ct);
            Interlocked.Increment(ref _sequence);
            if (_failing) logger.LogInformation("Heartbeat {Name} written again", name);
            _failing = false;
        }
        catch (AriException e)
        {
            if (!_failing)
                logger.LogWarning("Heartbeat {Name} not written ({Error}): if this lasts {Bound:0.#} s, the watchdog moves the waiting callers to the fallback route",
                    name, e.Message, options.Bound.TotalSeconds);
            _failing = true;
        }
    }
}
