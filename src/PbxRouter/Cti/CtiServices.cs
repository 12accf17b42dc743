using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PbxRouter.Calls.Cti;

namespace PbxRouter.Cti;

/// <summary>Live call events (section Cti, docs/cti.md): the hub the call records feed, the SSE consumers, the practices' webhooks.</summary>
public static class CtiServices
{
    /// <summary>What is wrong with section Cti (for the settings' problems).</summary>
    public static void Check(IConfiguration config, List<string> problems)
    {
        CtiConsumers.ReadOptions(config, problems);
        CtiConsumers.Read(config, problems);
    }

    public static void Add(IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(CtiConsumers.ReadOptions(config, []));
        services.AddSingleton(CtiConsumers.Read(config, []));
        services.AddSingleton<CtiHub>();
        // The real clock, not the engine's (which --clock-start may pin): receivers check the signature's timestamp against theirs.
        services.AddHostedService(sp => new CtiWebhooks(sp.GetRequiredService<CtiHub>(), sp.GetRequiredService<Calls.Rules.ActiveRules>(),
            sp.GetRequiredService<Calls.Notifications.TrustedCertificates>(), TimeProvider.System, sp.GetRequiredService<ILogger<CtiWebhooks>>()));
    }

    /// <summary>GET /cti/events on the engine's web endpoint.</summary>
    public static void Map(IEndpointRouteBuilder app, IServiceProvider engine) =>
        CtiWeb.Map(app, engine.GetRequiredService<CtiHub>(), engine.GetRequiredService<CtiConsumers>(),
            engine.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CtiWeb).FullName!), engine.GetRequiredService<TimeProvider>());
}
