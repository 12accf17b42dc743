using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Engine;

namespace PbxRouter.Calls.Phones;

/// <summary>The engine's session for a call from a phone (Stasis args "phone,EXTEN"): runs the <see cref="IPhoneCallHandler"/>; the session ends when it returns.</summary>
public sealed class PhoneCallSession(PhoneCall call, CallTrace trace, IPhoneCallHandler handler) : CallSession(call, trace)
{
    protected override async Task<string> RunAsync(CancellationToken ct)
    {
        try
        {
            await handler.HandleAsync(call, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Call {CallId}: phone call handler failed", CallId);
            try
            {
                await call.HangUpCallerAsync("normal", CancellationToken.None).ConfigureAwait(false);
            }
            catch (AriException)
            {
            }
        }
        return call.CallerGone ? "phone-hung-up" : "feature-code";
    }
}
