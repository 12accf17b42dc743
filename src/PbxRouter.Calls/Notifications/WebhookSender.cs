using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Notifications;

/// <summary>POSTs the notice as JSON to the box's webhook URL, retrying transient failures (Polly).</summary>
public sealed class WebhookSender : INotificationSender
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger<WebhookSender> _logger;

    public WebhookSender(NotificationOptions options, ILogger<WebhookSender> logger, HttpMessageHandler? handler = null)
    {
        _logger = logger;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = Timeout.InfiniteTimeSpan; // per attempt, below
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(0, options.WebhookRetries),
                Delay = options.WebhookRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutException>()
                    .Handle<Polly.Timeout.TimeoutRejectedException>(),
                OnRetry = a =>
                {
                    _logger.LogWarning("Voicemail webhook attempt {Attempt} failed ({Error}); retrying in {Delay}",
                        a.AttemptNumber + 1, a.Outcome.Exception?.Message, a.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.WebhookTimeout)
            .Build();
    }

    public bool Handles(Notification target) => target.Kind == NotificationKind.Webhook;

    public async Task SendAsync(VoicemailNotice notice, Notification target, CancellationToken ct)
    {
        await _pipeline.ExecuteAsync(async token =>
        {
            using var response = await _http.PostAsJsonAsync(target.Target, notice, token).ConfigureAwait(false);
            // 5xx and 429 are worth retrying; other refusals are configuration errors.
            if ((int)response.StatusCode >= 500 || (int)response.StatusCode == 429)
                throw new HttpRequestException($"webhook answered {(int)response.StatusCode}");
            if (!response.IsSuccessStatusCode)
                throw new WebhookRefusedException($"webhook refused the notification ({(int)response.StatusCode}): check the URL in the rules");
        }, ct).ConfigureAwait(false);
    }
}

/// <summary>The webhook answered a 4xx (other than 429): a configuration error, not retried.</summary>
public sealed class WebhookRefusedException(string message) : Exception(message);
