using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Runtime;

namespace PbxRouter.Calls.Flows;

/// <summary>
/// The foundation flow: answer, play the greeting, hang up. The routing flows replace it.
/// With an empty <see cref="EngineOptions.GreetingMedia"/> it only answers and waits for the caller
/// to hang up (outcome "answered"): the answer-only call of scripts/bench.sh.
/// </summary>
public sealed class GreetingCall(LiveCall call, CallTrace trace, EngineOptions options) : CallSession(call, trace)
{
    /// <summary>Longest wait for the caller's channel to leave Stasis once hung up.</summary>
    private static readonly TimeSpan Leaving = TimeSpan.FromSeconds(10);

    private bool AnswerOnly => string.IsNullOrEmpty(options.GreetingMedia);

    protected override async Task<string> RunAsync(CancellationToken ct)
    {
        try
        {
            return await GreetAsync(ct).ConfigureAwait(false);
        }
        catch (AriException e)
        {
            Logger.LogError(e, "Call {CallId}: greeting failed; taking the fallback route", CallId);
            await new FallbackRoute(Call.Ari, options.FallbackContext, Logger, Call.Time)
                .TakeAsync(CallId, StasisArguments.FallbackExtension(Trace.CalledNumber), ct).ConfigureAwait(false);
            Trace.Step("fallback after error");
            return "fallback";
        }
    }

    private async Task<string> GreetAsync(CancellationToken ct)
    {
        if (!await Call.AnswerAsync(ct).ConfigureAwait(false)) return "caller-hung-up";
        Trace.Step("answered");
        if (AnswerOnly)
        {
            while (!Call.CallerGone) await Call.NextEventAsync(TimeSpan.FromMinutes(5), ct).ConfigureAwait(false);
            await Call.WaitForCallerToLeaveAsync(Leaving, ct).ConfigureAwait(false);
            return "answered";
        }
        Trace.Step($"greeting: {options.GreetingMedia}");
        var heard = await Call.PlayAsync(options.GreetingMedia, ct, limit: TimeSpan.FromMinutes(2), what: "greeting").ConfigureAwait(false);
        if (heard.Gone)
        {
            Trace.Step("caller hung up");
            await Call.WaitForCallerToLeaveAsync(Leaving, ct).ConfigureAwait(false);
            return "caller-hung-up";
        }
        Trace.Step("greeting finished");
        if (await Call.HangUpCallerAsync("normal", ct).ConfigureAwait(false)) Trace.Step("hung up by engine");
        // The call ends when the caller's channel has left Stasis, so that its last events are part of its trace.
        await Call.WaitForCallerToLeaveAsync(Leaving, ct).ConfigureAwait(false);
        return "greeted";
    }
}
