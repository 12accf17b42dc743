using Microsoft.Extensions.Configuration;
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
    /// <summary>Reads section "Notifications"; what is wrong in it goes to <paramref name="problems"/> (the engine then refuses to start).</summary>
    public static NotificationOptions ReadOptions(IConfiguration config, List<string> problems)
    {
        var options = new NotificationOptions();
        try
        {
            config.GetSection("Notifications").Bind(options);
        }
        catch (InvalidOperationException e)
        {
            problems.Add($"Notifications: {e.Message}");
            return options;
        }
        problems.AddRange(options.Problems());
        return options;
    }

    /// <summary>Needs NotificationOptions, StoreDatabase, VoicemailRepository, IVoicemailAudio and ActiveRules registered.</summary>
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<NotificationOutboxRepository>();
        services.AddSingleton(sp => new TrustedCertificates(sp.GetRequiredService<NotificationOptions>().TrustedCaPath));
        // The signature's timestamp is the machine's real time, even when `serve --clock-start` pins the engine's clock:
        // the receiver compares it with its own clock to refuse replays.
        services.AddSingleton<INotificationSender>(sp => new WebhookSender(sp.GetRequiredService<TrustedCertificates>(), TimeProvider.System));
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
