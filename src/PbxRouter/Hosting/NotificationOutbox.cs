using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Notifications;
using PbxRouter.Calls.Rules;
using PbxRouter.Store;

namespace PbxRouter.Hosting;

/// <summary>Voicemail notifications through the durable outbox: its table, the senders, the notifier and the dispatcher's loop.</summary>
public static class NotificationOutbox
{
    /// <summary>Needs NotificationOptions, StoreDatabase, VoicemailRepository, IVoicemailAudio and ActiveRules registered.</summary>
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<NotificationOutboxRepository>();
        services.AddSingleton(sp => new TrustedCertificates(sp.GetRequiredService<NotificationOptions>().TrustedCaPath));
        services.AddSingleton<INotificationSender>(sp => new WebhookSender(sp.GetRequiredService<TrustedCertificates>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<INotificationSender>(sp => new SmtpEmailSender(sp.GetRequiredService<NotificationOptions>(),
            sp.GetRequiredService<TrustedCertificates>(), sp.GetRequiredService<VoicemailRepository>(), sp.GetRequiredService<IVoicemailAudio>()));
        services.AddSingleton<INotificationSender, DropFolderSender>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddSingleton(sp => new VoicemailNotifier(sp.GetRequiredService<NotificationOutboxRepository>(), sp.GetRequiredService<NotificationDispatcher>(),
            sp.GetRequiredService<NotificationOptions>(), sp.GetRequiredService<ILogger<VoicemailNotifier>>(), sp.GetRequiredService<ActiveRules>()));
        services.AddHostedService<NotificationDispatcherService>();
    }
}

/// <summary>Runs the outbox's dispatcher while the engine runs; at a graceful stop, lets the sends in progress finish (bounded by the host).</summary>
public sealed class NotificationDispatcherService(NotificationDispatcher dispatcher) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await dispatcher.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        await dispatcher.DrainAsync();
    }
}
