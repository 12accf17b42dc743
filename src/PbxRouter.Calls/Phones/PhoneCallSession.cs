using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Engine;

namespace PbxRouter.Calls.Phones;

/// <summary>
/// The engine's session for a call from a phone (Stasis args "phone,EXTEN"): runs the <see cref="IPhoneCallHandler"/>
/// off the event queue and passes it the call's events in order; the session ends when the handler returns.
/// </summary>
public sealed class PhoneCallSession(AriClient ari, Channel channel, string dialled, CallTrace trace, IPhoneCallHandler handler,
    ILogger logger, TimeProvider time) : CallSession(ari, trace, logger, time)
{
    private readonly PhoneCall _call = new(ari, channel, dialled);
    private readonly CancellationTokenSource _ended = new();
    private Task _run = Task.CompletedTask;

    public override Task Completion => _run;

    public override Task StartAsync(CancellationToken ct)
    {
        _run = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public override Task HandleAsync(AriEvent e, CancellationToken ct)
    {
        _call.Deliver(e);
        return Task.CompletedTask;
    }

    // Every wait of the handler is bounded; a phone gone meanwhile ends the session at the resync.
    public override Task ResumeAsync(CancellationToken ct) => Task.CompletedTask;

    public override void OnEnded() => _ended.Cancel();

    private async Task RunAsync()
    {
        try
        {
            await handler.HandleAsync(_call, _ended.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_ended.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Call {CallId}: phone call handler failed", CallId);
            try
            {
                await Ari.Channels.HangupAsync(CallId, "normal", CancellationToken.None).ConfigureAwait(false);
            }
            catch (AriException)
            {
            }
        }
        Finish(_call.Gone ? "phone-hung-up" : "feature-code");
    }
}
