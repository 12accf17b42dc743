using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Runtime;

namespace PbxRouter.Calls.Engine;

/// <summary>How handing a caller to the dialplan's fallback route ended.</summary>
public enum FallbackResult
{
    /// <summary>The channel left Stasis for the fallback context (remote secretariat, then voicemail).</summary>
    Continued,
    /// <summary>The channel was already gone or out of Stasis (404/409): nothing to do.</summary>
    Gone,
    /// <summary>ARI kept failing: the caller was hung up (logged as an error) rather than left in silence.</summary>
    HungUp,
}

/// <summary>
/// Sends a caller to the dialplan's fallback context. <c>continue</c> is safe to repeat (once it worked, a repeat answers
/// 404/409), so 5xx answers and timeouts are retried with backoff (Polly); if ARI still fails, the caller is hung up
/// and an error logged: a call never stays in Stasis with nobody handling it.
/// </summary>
public sealed class FallbackRoute(AriClient ari, string context, ILogger logger, TimeProvider time)
{
    private readonly Polly.ResiliencePipeline _retry = AriRetry.CommandPipeline(time, logger);

    public async Task<FallbackResult> TakeAsync(string channelId, string extension, CancellationToken ct)
    {
        try
        {
            await _retry.ExecuteAsync(async token =>
                await ari.Channels.ContinueAsync(channelId, context, extension, 1, ct: token).ConfigureAwait(false), ct).ConfigureAwait(false);
            return FallbackResult.Continued;
        }
        catch (AriException e) when (Gone.IsLeg(e))
        {
            // A 409 on continue too: the caller's channel already left Stasis (hung up, or already continued).
            logger.LogDebug("Fallback of {ChannelId} not needed: {Error}", channelId, e.Message);
            return FallbackResult.Gone;
        }
        catch (AriException e)
        {
            logger.LogError("Call {ChannelId}: the fallback route could not be taken ({Error}); hanging up the caller", channelId, e.Message);
            try
            {
                await ari.Channels.HangupAsync(channelId, "normal", CancellationToken.None).ConfigureAwait(false);
            }
            catch (AriException hangup) when (!Gone.IsCaller(hangup))
            {
                logger.LogError("Call {ChannelId}: hang-up failed too ({Error}); the channel stays until the caller hangs up", channelId, hangup.Message);
            }
            catch (AriException)
            {
                // Already gone.
            }
            return FallbackResult.HungUp;
        }
    }
}
