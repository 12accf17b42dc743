using Polly;
using Polly.Retry;

namespace PbxRouter.Ari;

/// <summary>The reconnect backoff of the event WebSocket: exponential with jitter, capped, retrying forever.</summary>
internal static class ReconnectPolicy
{
    public static RetryStrategyOptions Options(AriOptions o, Func<OnRetryArguments<object>, ValueTask>? onRetry = null,
        Func<double>? randomizer = null)
    {
        var options = new RetryStrategyOptions
        {
            // A stop request (cancellation) ends the loop; anything else is a reason to try again.
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = o.ReconnectBaseDelay,
            MaxDelay = o.ReconnectMaxDelay,
            MaxRetryAttempts = int.MaxValue,
            OnRetry = onRetry,
        };
        if (randomizer is not null) options.Randomizer = randomizer;
        return options;
    }

    public static ResiliencePipeline Build(AriOptions o, TimeProvider time, Func<OnRetryArguments<object>, ValueTask>? onRetry = null,
        Func<double>? randomizer = null) =>
        new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(Options(o, onRetry, randomizer)).Build();
}
