using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PbxRouter.Calls.Cti;

namespace PbxRouter.Cti;

/// <summary>
/// GET /cti/events[?practice=P]: the live call events as Server-Sent Events (docs/cti.md), for the consumer whose bearer
/// token is given. 401 without a known token, 403 for a practice it may not follow. Each event: "id: RUN-N", "event: TYPE",
/// "data: JSON"; a gap marker where events were left out; a comment line every <see cref="KeepAlive"/> so proxies keep the
/// connection. A reconnect with Last-Event-ID resumes from the hub's backlog.
/// </summary>
public static partial class CtiWeb
{
    public const string Path = "/cti/events";
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static void Map(IEndpointRouteBuilder app, CtiHub hub, CtiConsumers consumers, ILogger log, TimeProvider time) =>
        app.MapGet(Path, context => ServeAsync(context, hub, consumers, log, time));

    private static async Task ServeAsync(HttpContext context, CtiHub hub, CtiConsumers consumers, ILogger log, TimeProvider time)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        if (consumers.Authenticate(context.Request.Headers.Authorization) is not { } consumer)
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.Headers.WWWAuthenticate = "Bearer realm=\"pbxrouter-cti\"";
            return;
        }
        var audience = consumer.Audience;
        if (context.Request.Query["practice"] is { Count: > 0 } asked)
        {
            var wanted = asked.OfType<string>().SelectMany(p => p.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
            if (wanted.Count == 0 || !wanted.All(audience.Sees))
            {
                LogForbidden(log, consumer.Name, string.Join(",", wanted));
                response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
            audience = audience with { Practices = wanted };
        }
        using var sub = hub.Subscribe(audience, context.Request.Headers["Last-Event-ID"].FirstOrDefault());
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers["X-Accel-Buffering"] = "no";
        LogConnected(log, consumer.Name, audience.Practices is null ? "*" : string.Join(",", audience.Practices));
        // The engine's stop ends the stream (Kestrel would otherwise wait for it until its shutdown timeout).
        var stopping = context.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var ct = linked.Token;
        var write = new SemaphoreSlim(1, 1);
        await WriteAsync(response, write, Encoding.UTF8.GetBytes("retry: 2000\n\n"), ct);
        using var keepAlive = new PeriodicTimer(KeepAlive, time);
        var pings = PingAsync(response, write, keepAlive, ct);
        try
        {
            await foreach (var delivery in sub.ReadAllAsync(ct))
                await WriteAsync(response, write, Frame(hub, delivery, audience.CallerNumbers), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            keepAlive.Dispose();
            await pings;
            LogDisconnected(log, consumer.Name, sub.Dropped);
        }
    }

    /// <summary>One SSE frame: id (events only), event type, one data line of JSON, a blank line.</summary>
    public static byte[] Frame(CtiHub hub, CtiDelivery delivery, bool callerNumbers)
    {
        var text = new StringBuilder();
        if (delivery.Event is { } e)
        {
            text.Append("id: ").Append(hub.IdOf(e)).Append('\n').Append("event: ").Append(e.Type).Append('\n')
                .Append("data: ").Append(Encoding.UTF8.GetString(e.For(callerNumbers).ToJson())).Append("\n\n");
        }
        else text.Append("event: ").Append(CtiEventTypes.Gap).Append('\n').Append("data: ").Append(Encoding.UTF8.GetString(delivery.ToJson())).Append("\n\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static async Task PingAsync(HttpResponse response, SemaphoreSlim write, PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(ct)) await WriteAsync(response, write, ": keep-alive\n\n"u8.ToArray(), ct);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    private static async Task WriteAsync(HttpResponse response, SemaphoreSlim write, byte[] frame, CancellationToken ct)
    {
        await write.WaitAsync(ct);
        try
        {
            await response.Body.WriteAsync(frame, ct);
            await response.Body.FlushAsync(ct);
        }
        finally
        {
            write.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CTI consumer {Consumer} connected for practices {Practices}")]
    private static partial void LogConnected(ILogger log, string consumer, string practices);

    [LoggerMessage(Level = LogLevel.Information, Message = "CTI consumer {Consumer} disconnected ({Dropped} events left out while it read too slowly)")]
    private static partial void LogDisconnected(ILogger log, string consumer, long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CTI consumer {Consumer} asked for practices {Practices} it may not follow (403)")]
    private static partial void LogForbidden(ILogger log, string consumer, string practices);
}
