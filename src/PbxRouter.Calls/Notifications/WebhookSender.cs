using System.Net.Http.Headers;
using System.Text.Json;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Notifications;

/// <summary>
/// POSTs the notice as JSON to the box's webhook URL, signed with the target's secret (<see cref="WebhookSignature"/>);
/// one attempt per call, the outbox retries. HTTPS only, with the system's CAs or the extra one of the settings.
/// </summary>
public sealed class WebhookSender : INotificationSender, IDisposable
{
    // JSON for machines, not HTML: "+33..." stays readable instead of "\u002B33...".
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly Func<string, string?> _environment;

    public WebhookSender(TrustedCertificates trust, TimeProvider time, Func<string, string?>? environment = null, HttpMessageHandler? handler = null)
    {
        _time = time;
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = trust.Validate },
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        });
        _http.Timeout = Timeout.InfiniteTimeSpan; // the outbox gives each attempt its own time limit
    }

    public bool Handles(NotificationKind kind) => kind == NotificationKind.Webhook;

    public async Task SendAsync(NotificationDelivery delivery, CancellationToken ct)
    {
        var secretEnv = delivery.Payload.SecretEnv;
        if (string.IsNullOrEmpty(secretEnv))
            throw new PermanentNotificationException("the webhook has no secret_env in the rules: it is never sent unsigned");
        if (string.IsNullOrEmpty(_environment(secretEnv)))
            throw new InvalidOperationException(
                $"the webhook's signing secret is missing: set the environment variable {secretEnv ?? "(secret_env)"} of the engine");
        var secret = _environment(secretEnv)!;
        var body = JsonSerializer.SerializeToUtf8Bytes(delivery.Payload.Notice, Json);
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body));
        request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode) return;
        // 5xx, 408 and 429 are worth retrying; other refusals are configuration errors (URL, secret).
        if (status >= 500 || status is 408 or 429)
            throw new HttpRequestException($"webhook answered {status}");
        throw new PermanentNotificationException($"webhook refused the notification ({status}): check the URL and the secret in the rules");
    }

    public void Dispose() => _http.Dispose();
}
