using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PbxRouter.Calls.Notifications;

namespace PbxRouter.IntegrationTests.Infrastructure;

/// <summary>
/// A webhook receiver as a practice would run one: Kestrel on 127.0.0.1 over HTTPS with the test's self-signed certificate;
/// it checks each POST's signature and timestamp as docs/urgent-voicemail-phones.md tells receivers to, and keeps them.
/// </summary>
public sealed class LocalHttpsReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    public sealed record Post(string Body, string? Timestamp, string? Signature, string? Delivery, bool Verified);

    private LocalHttpsReceiver(WebApplication app, int port)
    {
        _app = app;
        Url = $"https://127.0.0.1:{port}/hook";
    }

    public string Url { get; }
    public ConcurrentQueue<Post> Posts { get; } = new();

    public static async Task<LocalHttpsReceiver> StartAsync(TestCertificate certificate, string secret)
    {
        var port = FreePorts.Tcp();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.UseHttps(certificate.Certificate)));
        var app = builder.Build();
        LocalHttpsReceiver? receiver = null;
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            var timestamp = request.Headers[WebhookSignature.TimestampHeader].FirstOrDefault();
            var signature = request.Headers[WebhookSignature.SignatureHeader].FirstOrDefault();
            // The receiver's check: the HMAC of "timestamp.body" with the shared secret, and a timestamp under 5 minutes old.
            var verified = WebhookSignature.Verify(secret, timestamp, signature, body.ToArray(), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
            receiver!.Posts.Enqueue(new Post(System.Text.Encoding.UTF8.GetString(body.ToArray()), timestamp, signature,
                request.Headers[WebhookSignature.DeliveryHeader].FirstOrDefault(), verified));
            return verified ? Results.Ok() : Results.Unauthorized();
        });
        receiver = new LocalHttpsReceiver(app, port);
        await app.StartAsync();
        return receiver;
    }

    public async Task<Post[]> WaitForAsync(int count, TimeSpan limit, string what)
    {
        using var timeout = new CancellationTokenSource(limit);
        while (Posts.Count < count)
        {
            if (timeout.IsCancellationRequested) Assert.Fail($"timed out waiting for {what}: {Posts.Count} of {count} POST(s) arrived");
            await Task.Delay(200);
        }
        return Posts.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
