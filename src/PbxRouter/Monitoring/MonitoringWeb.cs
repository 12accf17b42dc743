using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Flows.Reception;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Rules;
using PbxRouter.WebConsole;
using PbxRouter.Hosting;
using PbxRouter.Store;

namespace PbxRouter.Monitoring;

/// <summary>
/// /metrics and /health on Kestrel, inside the engine's host: hooks the metrics' observers before any service starts, then
/// listens on Web:Url. A port that cannot be bound is logged as an error and the engine runs on without the endpoint: calls
/// come first.
/// </summary>
public sealed partial class MonitoringWeb(EngineMetrics metrics, EngineHealth health, WebOptions options, ILoggerFactory loggers,
    Action<EngineMetrics> attach, Func<ConsoleSite?>? console = null, Action<IEndpointRouteBuilder>? mapMore = null) : IHostedLifecycleService
{
    private readonly ILogger _log = loggers.CreateLogger<MonitoringWeb>();
    private WebApplication? _app;
    private string _lastFailed = "";

    /// <summary>Registers the metrics, the health checks and the endpoint (section Web).</summary>
    public static void Add(IServiceCollection services, EngineSettings settings)
    {
        services.AddSingleton(settings.Web);
        services.AddSingleton<EngineMetrics>();
        services.AddSingleton(sp =>
        {
            var ari = sp.GetRequiredService<AriClient>();
            var rules = sp.GetRequiredService<ActiveRules>();
            var voicemail = sp.GetRequiredService<VoicemailOptions>().StorageFolder(settings.DatabasePath);
            var database = Path.GetDirectoryName(Path.GetFullPath(settings.DatabasePath)) ?? "/";
            return new EngineHealth(() => ari.Health, sp.GetRequiredService<StoreDatabase>(), () => rules.Version,
                [("disk_database", database), ("disk_voicemail", voicemail)], settings.Web.MinFreeDiskMegabytes * 1024 * 1024);
        });
        services.AddHostedService(sp => new MonitoringWeb(sp.GetRequiredService<EngineMetrics>(), sp.GetRequiredService<EngineHealth>(),
            settings.Web, sp.GetRequiredService<ILoggerFactory>(), m => m.Attach(sp.GetRequiredService<AriClient>(), sp.GetRequiredService<StoreDatabase>(),
                sp.GetRequiredService<CallEngine>(), sp.GetRequiredService<QueueBoard>(), sp.GetRequiredService<ActiveRules>(),
                sp.GetRequiredService<NotificationOutboxRepository>(), sp.GetRequiredService<TimeProvider>()),
            () => ConsoleWiring.Site(sp, settings),
            app => Cti.CtiServices.Map(app, sp)));
    }

    /// <summary>Before any hosted service starts (the engine's included): the observers see every request and write.</summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        attach(metrics);
        return Task.CompletedTask;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.EndPoint is not { } endPoint)
        {
            LogOff();
            return;
        }
        var site = console?.Invoke();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "pbxrouter" });
        builder.Services.AddLogging();
        builder.Services.AddSingleton<ILoggerFactory>(new WebLoggers(loggers));
        builder.Services.AddRouting();
        site?.AddServices(builder.Services);
        var certificate = options.LoadCertificate();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 64 * 1024;
            k.Listen(endPoint, listen =>
            {
                if (certificate is not null) listen.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        app.UseRouting();
        if (site is not null)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }
        MapMonitoring(app);
        site?.Map(app);
        mapMore?.Invoke(app);
        try
        {
            await app.StartAsync(cancellationToken);
            _app = app;
            LogListening(certificate is null ? "http" : "https", endPoint.ToString(), site is null ? "" : ", web console on /console");
        }
        catch (IOException e)
        {
            LogNotListening(e, endPoint.ToString());
            await app.DisposeAsync();
        }
    }

    /// <summary>/metrics and /health, GET and HEAD (another method: 405, another path: 404, from endpoint routing).</summary>
    private void MapMonitoring(WebApplication app)
    {
        string[] reads = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/metrics", reads, async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await WriteAsync(context, await metrics.ExportAsync(context.RequestAborted));
        });
        app.MapMethods("/health", reads, async context =>
        {
            var report = await health.CheckAsync(context.RequestAborted);
            NoteChange(report);
            context.Response.StatusCode = report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "application/json; charset=utf-8";
            await WriteAsync(context, report.ToJson());
        });
    }

    private static async Task WriteAsync(HttpContext context, byte[] body)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>One log line when the failed checks change (not one per request of a poller).</summary>
    private void NoteChange(HealthReport report)
    {
        var failed = string.Join(",", report.Failed);
        if (Interlocked.Exchange(ref _lastFailed, failed) == failed) return;
        if (report.Healthy) LogHealthy();
        else LogUnhealthy(string.Join(", ", report.Checks.Where(c => !c.Healthy).Select(c => $"{c.Name}: {c.Detail}")));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not { } app) return;
        _app = null;
        await app.StopAsync(cancellationToken);
        await app.DisposeAsync();
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics and health on {Scheme}://{EndPoint}/metrics and /health{Console}")]
    private partial void LogListening(string scheme, string endPoint, string console);

    [LoggerMessage(Level = LogLevel.Information, Message = "No web endpoint (Web:Url is empty): no /metrics nor /health")]
    private partial void LogOff();

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot listen on {EndPoint} for /metrics and /health (the engine runs on without them): check Web:Url")]
    private partial void LogNotListening(Exception error, string endPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Health checks pass again")]
    private partial void LogHealthy();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check failed: {Failed}")]
    private partial void LogUnhealthy(string failed);
}

/// <summary>The engine's loggers for Kestrel, less the inner host's own lifecycle lines ("Hosting failed to start" would read as the engine's).</summary>
internal sealed class WebLoggers(ILoggerFactory engine) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal) || categoryName.StartsWith("Microsoft.Hosting", StringComparison.Ordinal)
            ? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance
            : engine.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("the engine's loggers are configured by the engine");

    /// <summary>The engine's loggers belong to the engine's host.</summary>
    public void Dispose()
    {
    }
}
