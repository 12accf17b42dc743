using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Rules;

namespace PbxRouter.Hosting;

/// <summary>
/// The retention job: once the rules in force are loaded after the engine starts (their boxes' keep_days decide), then
/// every Retention:Every (a day), purges the voicemail messages and call records past their retention
/// (<see cref="VoicemailRetention"/>). A failed pass is logged; the next one tries again.
/// </summary>
public sealed class RetentionService(VoicemailRetention retention, ActiveRules rules, RetentionOptions options, TimeProvider time,
    ILogger<RetentionService> logger) : BackgroundService
{
    /// <summary>How often it looks for the rules in force before its first pass.</summary>
    public static readonly TimeSpan WaitForRules = TimeSpan.FromSeconds(5);

    /// <summary>Passes done since the start (tests).</summary>
    public int Passes { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = options.Every;
            if (rules.Current is { } current)
            {
                try
                {
                    await retention.RunAsync(current, dryRun: false, callRecords: true, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError("Retention: the purge failed, next try in {Every}: {Error}", options.Every, e.Message);
                }
                Passes++;
            }
            else next = WaitForRules;
            try
            {
                await Task.Delay(next, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
