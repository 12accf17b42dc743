using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using NLog.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Hosting;

namespace PbxRouter.Watchdog;

/// <summary>Builds the `pbxrouter watchdog` host: NLog behind ILogger, its own ARI client, the watchdog loop. Nothing of the engine.</summary>
public static class WatchdogHost
{
    public static IHost Build(EngineSettings settings, TimeProvider? time = null, bool console = true)
    {
        time ??= TimeProvider.System;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddNLog(Logs.Configure(settings.LogLevel));
        var options = settings.Watchdog;
        var ari = new AriOptions
        {
            BaseUrl = settings.Ari.BaseUrl,
            User = settings.Ari.User,
            Password = settings.Ari.Password,
            Application = options.Application,
            // A handful of reads per second and one move at a time.
            MaxConnections = 4,
        };
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new WatchdogTarget(settings.Ari.Application, settings.Engine.FallbackContext));
        builder.Services.AddSingleton(sp => new AriClient(ari, sp.GetRequiredService<ILoggerFactory>(), time));
        builder.Services.AddSingleton<WatchdogService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WatchdogService>());
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        if (console) builder.Services.AddSingleton<IHostLifetime, ConsoleLifetime>();
        return builder.Build();
    }
}
