using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls;
using PbxRouter.Calls.Fallback;
using PbxRouter.Calls.Flows.Voicemail;

namespace PbxRouter.Hosting;

/// <summary>
/// Imports the messages left on the practices' fallback routes as soon as ARI answers after the engine starts, then every
/// Engine:FallbackVoicemailEvery (a failed pass is logged and the next one tries again).
/// </summary>
/// After each import pass, the voicemail index and the audio folder are reconciled (<see cref="VoicemailReconciler"/>).
public sealed class FallbackVoicemailService(
    AriClient ari, FallbackVoicemailImporter importer, EngineOptions options, TimeProvider time, ILogger<FallbackVoicemailService> logger,
    VoicemailReconciler? reconciler = null)
    : BackgroundService
{
    /// <summary>How often it looks for ARI while the engine is not connected yet.</summary>
    public static readonly TimeSpan WaitForAri = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var connected = ari.Health.IsConnected;
            if (connected)
            {
                try
                {
                    await importer.ImportAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError("Fallback messages: the import pass failed, next try in {Every}: {Error}", options.FallbackVoicemailEvery, e.Message);
                }
                try
                {
                    if (reconciler is not null) await reconciler.RunAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError("Voicemail: the reconciliation failed, next try in {Every}: {Error}", options.FallbackVoicemailEvery, e.Message);
                }
            }
            try
            {
                await Task.Delay(connected ? options.FallbackVoicemailEvery : WaitForAri, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
