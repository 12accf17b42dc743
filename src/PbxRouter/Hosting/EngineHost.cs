using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using NLog.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Fallback;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Flows.Escalation;
using PbxRouter.Calls.Flows.Prompts;
using PbxRouter.Calls.Flows.Reception;
using PbxRouter.Calls.Flows.Secretariat;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Notifications;
using PbxRouter.Calls.Phones;
using PbxRouter.Calls.Prompts;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Calls.Rules;
using PbxRouter.Security;
using PbxRouter.Store;

namespace PbxRouter.Hosting;

/// <summary>Builds the worker host: NLog behind ILogger, the ARI client, the call engine.</summary>
public static class EngineHost
{
    /// <param name="configure">Replaces services after the engine's own (tests: a plan source, options).</param>
    public static IHost Build(EngineSettings settings, TimeProvider? time = null, bool console = true, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(settings.Configuration);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddNLog(Logs.Configure(settings.LogLevel));
        builder.Services.AddPbxRouterEngine(settings, time ?? TimeProvider.System);
        configure?.Invoke(builder.Services);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        // Ctrl+C and SIGTERM stop the engine gracefully (systemd, the demo script).
        if (console) builder.Services.AddSingleton<IHostLifetime, ConsoleLifetime>();
        return builder.Build();
    }

    public static IServiceCollection AddPbxRouterEngine(this IServiceCollection services, EngineSettings settings, TimeProvider time)
    {
        services.AddSingleton(settings);
        services.AddSingleton(time);
        services.AddSingleton(settings.Engine);
        services.AddSingleton(sp => new AriClient(settings.Ari, sp.GetRequiredService<ILoggerFactory>(), time));
        services.AddSingleton(new StoreDatabase(settings.DatabasePath, time));
        services.AddSingleton<RulesRepository>();
        services.AddSingleton<RuntimeStateRepository>();
        services.AddSingleton<PinAttemptRepository>();
        services.AddSingleton<VoicemailRepository>();
        services.AddSingleton<VoicemailImportRepository>();
        services.AddSingleton(sp => new CallRecordWriter(sp.GetRequiredService<StoreDatabase>(), time,
            onError: e => sp.GetRequiredService<ILoggerFactory>().CreateLogger<CallRecordWriter>().LogError("Call record not written: {Error}", e.Message),
            logger: sp.GetRequiredService<ILoggerFactory>().CreateLogger<CallRecordWriter>()) { Listener = sp.GetRequiredService<Calls.Cti.CtiHub>() });
        services.AddSingleton<CallRecordRepository>();
        services.AddSingleton<InterruptedCalls>();
        services.AddSingleton(new PromptStore(settings.Prompts.Folder(settings.DatabasePath), new EspeakSox(), time));
        services.AddSingleton(new PromptMedia(settings.Prompts, settings.DatabasePath));
        services.AddSingleton<ActiveRules>();
        services.AddSingleton<ModeLamps>();
        services.AddSingleton<IModesObserver>(sp => sp.GetRequiredService<ModeLamps>());
        services.AddSingleton<RuntimeModes>();
        services.AddHostedService<RulesWatcher>();
        services.AddSingleton<CallJournal>();
        services.AddSingleton(settings.Provisioning);
        services.AddSingleton<AsteriskProvisioner>();
        AddStepExecutors(services);
        AddUrgentVoicemailAndPhones(services, settings.Configuration);
        services.AddSingleton<StepExecutors>();
        services.AddSingleton<IPlanSource, RulesPlanSource>();
        services.AddSingleton<PlanCalls>();
        services.AddSingleton(sp => new CallEngine(sp.GetRequiredService<AriClient>(), settings.Engine, sp.GetRequiredService<CallJournal>(),
            sp.GetRequiredService<ILoggerFactory>(), time, new CallFlows(sp.GetRequiredService<PlanCalls>(), sp.GetService<IPhoneCallHandler>())));
        services.AddHostedService<EngineService>();
        services.AddSingleton(settings.Watchdog);
        services.AddSingleton<EngineHeartbeat>();
        services.AddHostedService(sp => sp.GetRequiredService<EngineHeartbeat>());
        AddVoicemailStore(services, settings, time);
        services.AddSingleton(sp => new FallbackVoicemailImporter(sp.GetRequiredService<AriClient>(), sp.GetRequiredService<VoicemailIndex>(),
            sp.GetRequiredService<ActiveRules>(), sp.GetRequiredService<VoicemailOptions>(), sp.GetRequiredService<ILogger<FallbackVoicemailImporter>>(),
            sp.GetRequiredService<VoicemailSpool>()));
        services.AddHostedService<FallbackVoicemailService>();
        var securityLog = settings.Configuration.GetSection("Asterisk").Get<SecurityLogOptions>() ?? new SecurityLogOptions();
        services.AddSingleton(securityLog);
        services.AddSingleton(new IntrusionTally(securityLog.SecurityReportEvery, time));
        services.AddHostedService<SecurityLogWatcher>();
        Cti.CtiServices.Add(services, settings.Configuration);
        Monitoring.MonitoringWeb.Add(services, settings);
        return services;
    }

    /// <summary>
    /// Messages' audio in the engine's folder (Voicemail:StoragePath), moved out of Asterisk's spool, reconciled with the index
    /// at start and every Engine:FallbackVoicemailEvery; copies for phones under Voicemail:PlaybackPath; the retention job.
    /// </summary>
    private static void AddVoicemailStore(IServiceCollection services, EngineSettings settings, TimeProvider time)
    {
        services.AddSingleton(sp => new VoicemailFiles(sp.GetRequiredService<VoicemailOptions>().StorageFolder(settings.DatabasePath)));
        services.AddSingleton<VoicemailSpool>();
        services.AddSingleton(sp =>
        {
            var prompts = settings.Prompts.Folder(settings.DatabasePath);
            var (playback, playbackAsterisk) = sp.GetRequiredService<VoicemailOptions>().PlaybackFolders(prompts,
                string.IsNullOrWhiteSpace(settings.Prompts.PromptsAsteriskPath) ? prompts : settings.Prompts.PromptsAsteriskPath);
            return new FileVoicemailAudio(sp.GetRequiredService<VoicemailFiles>(), playback, playbackAsterisk, sp.GetRequiredService<AriClient>(), time,
                sp.GetRequiredService<ILogger<FileVoicemailAudio>>());
        });
        services.AddSingleton<RetentionRepository>();
        services.AddSingleton<VoicemailReconciler>();
        services.AddSingleton(settings.Configuration.GetSection("Retention").Get<RetentionOptions>() ?? new RetentionOptions());
        services.AddSingleton<VoicemailRetention>();
        services.AddSingleton<RetentionService>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionService>());
    }

    /// <summary>
    /// One line per plan step executor, in the order they are asked (the first whose CanRun accepts a step runs it).
    /// A step no executor accepts is logged and skipped.
    /// </summary>
    private static void AddStepExecutors(IServiceCollection services)
    {
        services.AddSingleton<QueueBoard>();
        services.AddSingleton<IStepExecutor, PromptStep>();
        services.AddSingleton<IStepExecutor, QueueStep>();
        services.AddSingleton<OverflowStep>();
        services.AddSingleton<IStepExecutor>(sp => sp.GetRequiredService<OverflowStep>());
        services.AddSingleton<IStepExecutor, ForwardStep>();
        services.AddSingleton<IStepExecutor, EscalateExecutor>();
        services.AddSingleton(sp => new VoicemailIndex(sp.GetRequiredService<VoicemailImportRepository>(), sp.GetRequiredService<VoicemailNotifier>(),
            sp.GetRequiredService<VoicemailSpool>()));
        services.AddSingleton<VoicemailExecutor>();
        services.AddSingleton<IStepExecutor>(sp => sp.GetRequiredService<VoicemailExecutor>());
    }

    /// <summary>Urgent escalation, voicemail and its notifications, calls from phones (sections Escalation, Voicemail, Notifications, FeatureCodes, Phones).</summary>
    private static void AddUrgentVoicemailAndPhones(IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(config.GetSection("Escalation").Get<EscalationOptions>() ?? new EscalationOptions());
        services.AddSingleton(config.GetSection("Voicemail").Get<VoicemailOptions>() ?? new VoicemailOptions());
        services.AddSingleton(NotificationOutbox.ReadOptions(config, []));
        services.AddSingleton(config.GetSection("FeatureCodes").Get<FeatureCodeOptions>() ?? new FeatureCodeOptions());
        NotificationOutbox.Add(services);
        services.AddSingleton<IVoicemailAudio>(sp => sp.GetRequiredService<FileVoicemailAudio>());
        services.AddSingleton<PinAttemptRepository>();
        services.AddSingleton<VoicemailListening>();
        services.AddSingleton<FeatureCodeHandler>();
        // Calls from phones: feature codes, outside numbers through the practice's trunk, internal extensions (section Phones).
        services.AddSingleton(config.GetSection("Phones").Get<PhoneCallOptions>() ?? new PhoneCallOptions());
        services.AddSingleton<PhoneDialing>();
        services.AddSingleton<CallPickup>();
        services.AddSingleton<IPhoneCallHandler, PhoneCallRouter>();
    }
}
