using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Calls.Rules;
using PbxRouter.Store;

namespace PbxRouter.Hosting;

/// <summary>Migrates the database at start, then picks up new rules versions and mode changes every second.</summary>
public sealed class RulesWatcher(
    StoreDatabase database, ActiveRules rules, RuntimeModes modes, TimeProvider time, ILogger<RulesWatcher> logger,
    AsteriskProvisioner? provisioner = null)
    : BackgroundService
{

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(database.Path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        await database.MigrateAsync(cancellationToken);
        await rules.RefreshAsync(cancellationToken);
        await modes.RefreshAsync(cancellationToken);
        if (rules.Current is null)
            logger.LogWarning("No routing rules applied yet (database {Path}): calls take the fallback route until `pbxrouter rules apply`", database.Path);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Trunks and phones of a new rules version go to Asterisk; retried every tick until Asterisk takes them.</summary>
    private async Task ProvisionAsync(CancellationToken ct)
    {
        var version = rules.Version;
        if (provisioner is null || version == provisioner.ProvisionedVersion || rules.Current is not { } current) return;
        try
        {
            await provisioner.ApplyAsync(current, version, ct);
        }
        catch (Exception ex) when (ex is AriException or IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Provisioning of rules version {Version} failed, retrying: {Error}", version, ex.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await rules.RefreshAsync(stoppingToken);
                await modes.RefreshAsync(stoppingToken);
                await ProvisionAsync(stoppingToken);
            }
            catch (StoreException ex)
            {
                logger.LogWarning("Could not read rules or modes, keeping the current ones: {Error}", ex.Message);
            }
        }
    }
}
