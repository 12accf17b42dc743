using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PbxRouter.Calls.Cti;
using PbxRouter.Calls.Notifications;
using PbxRouter.Calls.Rules;
using PbxRouter.Routing.Model;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace PbxRouter.Cti;

/// <summary>
/// Posts each practice's live call events to the webhook of its `cti:` block, signed like the voicemail webhooks
/// (<see cref="WebhookSignature"/>). Best effort, not durable: one queue per practice (so a call's events go in order), each
/// event retried with backoff for about <see cref="GiveUpAfter"/>, then given up (logged) and the next one sent; a full queue
/// loses new events (logged). A screen pop is worth something while the call rings, not after an engine restart.
/// </summary>
public sealed partial class CtiWebhooks : BackgroundService
{
    /// <summary>Events waiting per practice before new ones are left out.</summary>
    public const int QueueSize = 256;
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    private readonly CtiHub _hub;
    private readonly ActiveRules _rules;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Func<string, string?> _environment;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _retry;
    private readonly ConcurrentDictionary<string, PracticeQueue> _queues = new(StringComparer.Ordinal);

    public CtiWebhooks(CtiHub hub, ActiveRules rules, TrustedCertificates trust, TimeProvider time, ILogger<CtiWebhooks> log,
        Func<string, string?>? environment = null, HttpMessageHandler? handler = null)
    {
        _hub = hub;
        _rules = rules;
        _time = time;
        _log = log;
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = trust.Validate },
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        }) { Timeout = Timeout.InfiniteTimeSpan };
        _retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(GiveUpAfter)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>()
                    .Handle<TaskCanceledException>(e => e.InnerException is TimeoutException),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(8),
                MaxRetryAttempts = int.MaxValue, // the outer timeout ends the retries
            })
            .AddTimeout(AttemptTimeout)
            .Build();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var sub = _hub.Subscribe(CtiAudience.Everything);
        try
        {
            await foreach (var delivery in sub.ReadAllAsync(stoppingToken))
            {
                if (delivery.Event is not { } e)
                {
                    LogHubGap(delivery.Dropped ?? 0);
                    continue;
                }
                if (_rules.Current?.Model.Practices.FirstOrDefault(p => p.Id.Value == e.Practice)?.Cti is not { } cti) continue;
                var queue = _queues.GetOrAdd(e.Practice, p => new PracticeQueue(this, p, stoppingToken));
                if (!queue.Offer(e, cti)) LogQueueFull(e.Practice, e.Type, e.CallId);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(CtiEvent e, PracticeCti cti, CancellationToken ct)
    {
        if (_environment(cti.SecretEnv) is not { Length: > 0 } secret)
        {
            LogNoSecret(e.Practice, cti.SecretEnv);
            return;
        }
        var body = e.For(cti.CallerNumbers).ToJson();
        try
        {
            await _retry.ExecuteAsync(async token =>
            {
                var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
                using var request = new HttpRequestMessage(HttpMethod.Post, cti.Webhook) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
                request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body));
                request.Headers.Add(WebhookSignature.DeliveryHeader, _hub.IdOf(e));
                request.Headers.Add(EventHeader, e.Type);
                using var response = await _http.SendAsync(request, token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode) return;
                if (status >= 500 || status is 408 or 429) throw new HttpRequestException($"the webhook answered {status}");
                LogRefused(e.Practice, status, e.Type, e.CallId);
            }, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogGaveUp(e.Practice, e.Type, e.CallId, ex.Message);
        }
    }

    /// <summary>The event's type (call.ringing...), also in the body's "type".</summary>
    public const string EventHeader = "X-PbxRouter-Event";

    public override void Dispose()
    {
        base.Dispose();
        _http.Dispose();
    }

    /// <summary>One practice's events, sent one at a time in order.</summary>
    private sealed class PracticeQueue
    {
        private readonly Channel<(CtiEvent Event, PracticeCti Cti)> _events =
            Channel.CreateBounded<(CtiEvent, PracticeCti)>(new BoundedChannelOptions(QueueSize) { SingleReader = true });

        public PracticeQueue(CtiWebhooks owner, string practice, CancellationToken stopping) =>
            _ = Task.Run(async () =>
            {
                try
                {
                    await foreach (var (e, cti) in _events.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
                        await owner.SendAsync(e, cti, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }, CancellationToken.None);

        public bool Offer(CtiEvent e, PracticeCti cti) => _events.Writer.TryWrite((e, cti));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CTI webhooks read too slowly: {Dropped} events were not sent")]
    private partial void LogHubGap(long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CTI webhook of {Practice}: {QueueSize} events already waiting, {Type} of call {CallId} not sent")]
    private partial void LogQueueFullCore(string practice, int queueSize, string type, string callId);

    private void LogQueueFull(string practice, string type, string callId) => LogQueueFullCore(practice, QueueSize, type, callId);

    [LoggerMessage(Level = LogLevel.Error, Message = "CTI webhook of {Practice}: the signing secret is missing (environment variable {SecretEnv} of the engine): events not sent")]
    private partial void LogNoSecret(string practice, string secretEnv);

    [LoggerMessage(Level = LogLevel.Error, Message = "CTI webhook of {Practice} refused {Type} of call {CallId} ({Status}): check the URL and the secret; not retried")]
    private partial void LogRefusedCore(string practice, string type, string callId, int status);

    private void LogRefused(string practice, int status, string type, string callId) => LogRefusedCore(practice, type, callId, status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CTI webhook of {Practice}: {Type} of call {CallId} given up after retries: {Error}")]
    private partial void LogGaveUp(string practice, string type, string callId, string error);
}
