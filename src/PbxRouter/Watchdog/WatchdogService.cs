using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari;

namespace PbxRouter.Watchdog;

/// <summary>
/// `pbxrouter watchdog`: reads the engine's heartbeat every <see cref="WatchdogOptions.PollEvery"/>; once it has stood still
/// for the whole <see cref="WatchdogOptions.Bound"/>, sweeps the engine's Stasis application every poll until the heartbeat
/// moves again. Its own ARI WebSocket (application <see cref="WatchdogOptions.Application"/>) reconnects like the engine's
/// and shows the watchdog in GET /applications; the decision rests on the REST reads only.
/// </summary>
public sealed class WatchdogService(AriClient ari, WatchdogTarget target, WatchdogOptions options, TimeProvider time, ILogger<WatchdogService> logger)
    : BackgroundService
{
    private readonly EngineWatch _watch = new(options.Bound, time);
    private readonly string _variable = Heartbeat.VariableFor(target.EngineApplication);
    private WatchdogSweep? _sweep;
    private string? _blindBecause;
    private bool _acting, _seenAlive;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _sweep = new WatchdogSweep(ari, target.EngineApplication, target.FallbackContext, options, logger, time);
        ari.Events.HealthChanged += health => logger.LogInformation("Watchdog ARI {State}{Error}", health.State,
            health.LastError is null ? "" : $": {health.LastError}");
        logger.LogInformation(
            "Watchdog of engine application {Engine} at {Url}: heartbeat {Variable}, bound {Bound:0.#} s, poll every {Poll:0.#} s, own application {App}",
            target.EngineApplication, ari.Options.BaseUrl, _variable, options.Bound.TotalSeconds, options.PollEvery.TotalSeconds, ari.Options.Application);
        var events = ari.RunAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.PollEvery, time);
        try
        {
            do
            {
                await PollAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        await events;
    }

    private async Task PollAsync(CancellationToken ct)
    {
        try
        {
            if (!await ReadHeartbeatAsync(ct) || !_watch.IsAway) return;
            if (!_acting)
            {
                _acting = true;
                logger.LogWarning("Watchdog: engine {Engine} away for {Away:0.0} s (bound {Bound:0.#} s): moving the callers it left in Stasis to the fallback route",
                    target.EngineApplication, _watch.AwayFor.TotalSeconds, options.Bound.TotalSeconds);
            }
            await _sweep!.RunAsync(StillAwayAsync, () => _watch.AwayFor, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A failed sweep is tried again at the next poll (channels already moved answer 404/409).
            logger.LogError("Watchdog: sweep failed ({Error}); trying again", e.Message);
        }
    }

    private async Task<bool> StillAwayAsync(CancellationToken ct) => await ReadHeartbeatAsync(ct) && _watch.IsAway;

    /// <summary>Reads and observes the heartbeat; false when it could not be read (the watch goes blind).</summary>
    private async Task<bool> ReadHeartbeatAsync(CancellationToken ct)
    {
        string value;
        try
        {
            value = await ari.AsteriskInfo.GetGlobalVariableAsync(_variable, ct);
        }
        catch (AriException e)
        {
            _watch.Blind();
            if (_blindBecause is null)
                logger.LogWarning("Watchdog cannot read the engine's heartbeat ({Error}): nothing is moved until it can, then after a full bound", e.Message);
            _blindBecause = e.Message;
            return false;
        }
        if (_blindBecause is not null)
        {
            logger.LogInformation("Watchdog reads the heartbeat again: counting the bound from now");
            _blindBecause = null;
        }
        if (_watch.Observe(value))
        {
            if (_acting) logger.LogInformation("Watchdog: engine {Engine} is back (heartbeat moved); moves stop", target.EngineApplication);
            else if (!_seenAlive) logger.LogInformation("Watchdog: engine {Engine} is alive (heartbeat moved)", target.EngineApplication);
            _acting = false;
            _seenAlive = true;
            _sweep!.Forget();
        }
        return true;
    }
}

/// <summary>The engine the watchdog looks after: its Stasis application and its fallback context (Ari:Application, Engine:FallbackContext).</summary>
public sealed record WatchdogTarget(string EngineApplication, string FallbackContext);
