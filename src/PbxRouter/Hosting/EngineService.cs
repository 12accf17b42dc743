using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Provisioning;

namespace PbxRouter.Hosting;

/// <summary>Runs the ARI event stream and feeds the call engine until the host stops.</summary>
public sealed class EngineService(AriClient ari, CallEngine engine, AsteriskProvisioner provisioner, ILogger<EngineService> logger) : BackgroundService
{
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
                await engine.ResyncAsync(isReconnect, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Resync after {Kind} failed", isReconnect ? "reconnect" : "connect");
            }
        };
        logger.LogInformation("Engine starting: ARI {Url} app {App}", ari.Options.BaseUrl, ari.Options.Application);
        await stream.RunAsync(stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        logger.LogInformation("Engine stopped with {Active} calls in progress (they stay in Asterisk and are resynced at the next start)", engine.ActiveCalls);
    }
}
