using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace PbxRouter.Ari;

/// <summary>
/// When an ARI request may be sent again. Reads (GET) are idempotent: the transport retries them by itself on a 5xx
/// answer, a timeout or a connection failure. Commands (POST, PUT, DELETE) are never retried blindly: a 500 or a
/// timeout does not say whether Asterisk carried the command out (a second "dial" or "create" would ring a phone
/// twice); the caller decides, and may use <see cref="CommandPipeline"/> for a command it knows is safe to repeat.
/// </summary>
public static class AriRetry
{
    /// <summary>True for failures worth another try: 5xx, or no answer at all (timeout, connection refused).</summary>
    public static bool IsTransient(Exception e) => e is AriException { StatusCode: 0 or >= 500 };

    /// <summary>The transport's retry of reads: 2 more attempts, exponential backoff from 200 ms with jitter.</summary>
    internal static ResiliencePipeline ReadPipeline(TimeProvider time, ILogger log) =>
        Build(time, log, retries: 2, TimeSpan.FromMilliseconds(200), "read");

    /// <summary>
    /// A retry for a command the caller knows is safe to repeat (e.g. <c>continue</c>: once it worked, a repeat answers
    /// 404/409, never a second effect): <paramref name="retries"/> more attempts on transient failures, exponential
    /// backoff from <paramref name="delay"/> with jitter, each retry logged as a warning.
    /// </summary>
    public static ResiliencePipeline CommandPipeline(TimeProvider time, ILogger log, int retries = 3, TimeSpan? delay = null) =>
        Build(time, log, retries, delay ?? TimeSpan.FromMilliseconds(500), "command");

    private static ResiliencePipeline Build(TimeProvider time, ILogger log, int retries, TimeSpan delay, string what) =>
        new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<AriException>(IsTransient),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = delay,
            MaxDelay = TimeSpan.FromSeconds(5),
            MaxRetryAttempts = retries,
            OnRetry = args =>
            {
                log.LogWarning("ARI {What} failed, retry {Attempt} of {Retries} in {Delay:0} ms: {Error}", what, args.AttemptNumber + 1, retries,
                    args.RetryDelay.TotalMilliseconds, args.Outcome.Exception?.Message);
                return ValueTask.CompletedTask;
            },
        }).Build();
}

/// <summary>ARI requests an <see cref="AriClient"/> sent: by operation, retries included; attempts that failed (5xx, timeout,
/// unreachable) and read retries.</summary>
public sealed record AriRequestCounters(IReadOnlyDictionary<string, long> ByOperation, long Failed, long Retried)
{
    public long Total => ByOperation.Values.Sum();

    public long Of(string operation) => ByOperation.GetValueOrDefault(operation);
}
