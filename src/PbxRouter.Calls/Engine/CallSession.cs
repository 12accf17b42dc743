using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Runtime;

namespace PbxRouter.Calls.Engine;

/// <summary>
/// One call for the engine: a flow running on its own task over the call's runtime (<see cref="LiveCall"/>), which its
/// event queue feeds in order. The engine ends the session when the flow returns, or earlier (the call vanished while the
/// engine was disconnected, the engine stops): the flow is then cancelled.
/// </summary>
public abstract class CallSession(LiveCall call, CallTrace trace)
{
    /// <summary>The journal's outcome of a call left to the next engine when this one stopped.</summary>
    public const string HandedOver = "handed-over";

    private readonly CancellationTokenSource _ended = new();
    private Task _run = Task.CompletedTask;
    private volatile bool _handingOver;

    public LiveCall Call => call;
    public CallTrace Trace => trace;
    /// <summary>The caller's channel: the call's key in the event queues.</summary>
    public string CallId => call.CallId;
    /// <summary>How the flow ended the call (the journal's outcome); null while it runs.</summary>
    public string? Outcome { get; private set; }
    /// <summary>Completes when the flow is over.</summary>
    public Task Completion => _run;
    protected ILogger Logger => call.Logger;

    /// <summary>Starts the flow on its own task.</summary>
    public void Start() => _run = Task.Run(RunFlowAsync, CancellationToken.None);

    /// <summary>Called once when the engine ends the session: the flow is cancelled.</summary>
    public void OnEnded() => _ended.Cancel();

    /// <summary>
    /// The engine stops: the flow is cancelled and leaves the call in Asterisk for the next engine (see
    /// <see cref="HandingOver"/>); completes when the flow has.
    /// </summary>
    public Task HandOverAsync()
    {
        _handingOver = true;
        _ended.Cancel();
        return _run;
    }

    /// <summary>True once the engine stops: a cancelled flow leaves its call as it is (no hang-up, no end in the call record).</summary>
    protected bool HandingOver => _handingOver;

    /// <summary>The call's flow, from the caller's StasisStart to the end; returns how the call ended.</summary>
    protected abstract Task<string> RunAsync(CancellationToken ct);

    private async Task RunFlowAsync()
    {
        string outcome;
        try
        {
            outcome = await RunAsync(_ended.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_ended.IsCancellationRequested)
        {
            outcome = _handingOver ? HandedOver : "ended";
        }
        catch (Exception e)
        {
            // Never leave a caller in Stasis with nobody handling it.
            Logger.LogError(e, "Call {CallId}: flow failed; hanging up the caller", CallId);
            outcome = "failed";
            try
            {
                await call.HangUpCallerAsync("normal", CancellationToken.None).ConfigureAwait(false);
            }
            catch (AriException hangup)
            {
                Logger.LogError("Call {CallId}: hang-up failed too ({Error}); the channel stays until the caller hangs up", CallId, hangup.Message);
            }
        }
        Outcome = outcome;
        Trace.Step($"ended: {outcome}");
    }
}
