using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Provisioning;

namespace PbxRouter.Hosting;

/// <summary>Runs the ARI event stream and feeds the call engine until the host stops.</summary>
public sealed class EngineService(AriClient ari, CallEngine engine, AsteriskProvisioner provisioner, InterruptedCalls interrupted, TimeProvider time,
    ILogger<EngineService> logger) : BackgroundService
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stream = ari.Events;
        stream.EventReceived += engine.Queues.Post;
        stream.HealthChanged += health =>
            logger.LogInformation("ARI {State} (since {Since:HH:mm:ss}, attempts {Attempts}){Error}", health.State, health.Since,
                health.ReconnectAttempts, health.LastError is null ? "" : $": {health.LastError}");
        stream.OnConnected = async (isReconnect, ct) =>
        {
            provisioner.Reset();
            try
            {
                var handled = await engine.ResyncAsync(isReconnect, ct);
                if (!isReconnect) await interrupted.CloseAsync(handled, _started, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Resync after {Kind} failed", isReconnect ? "reconnect" : "connect");
            }
        };
        logger.LogInformation("Engine starting: ARI {Url} app {App}", ari.Options.BaseUrl, ari.Options.Application);
        await stream.RunAsync(stoppingToken);
    }

    /// <summary>
    /// Graceful stop (SIGTERM): every call is left in Asterisk for the next engine (conversations up, waiting callers with
    /// music or ringing), then the event stream stops; the call record writer drains when the host disposes it.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        var active = engine.ActiveCalls;
        await engine.HandOverAsync().WaitAsync(cancellationToken);
        await base.StopAsync(cancellationToken);
        logger.LogInformation("Engine stopped: {Active} calls left in Asterisk for the next engine (taken over at its start)", active);
    }
}
