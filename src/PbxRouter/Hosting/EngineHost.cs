using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using NLog.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Rules;
using PbxRouter.Store;

namespace PbxRouter.Hosting;

/// <summary>Builds the worker host: NLog behind ILogger, the ARI client, the call engine.</summary>
public static class EngineHost
{
    public static IHost Build(EngineSettings settings, TimeProvider? time = null, bool console = true)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(settings.Configuration);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddNLog(Logs.Configure(settings.LogLevel));
        builder.Services.AddPbxRouterEngine(settings, time ?? TimeProvider.System);
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
        services.AddSingleton<VoicemailRepository>();
        services.AddSingleton(sp => new CallRecordWriter(sp.GetRequiredService<StoreDatabase>(), time,
            onError: e => sp.GetRequiredService<ILoggerFactory>().CreateLogger<CallRecordWriter>().LogError("Call record not written: {Error}", e.Message)));
        services.AddSingleton<ActiveRules>();
        services.AddSingleton<RuntimeModes>();
        services.AddHostedService<RulesWatcher>();
        services.AddSingleton<CallJournal>();
        services.AddSingleton<CallEngine>();
        services.AddHostedService<EngineService>();
        return services;
    }
}
