using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;

namespace PbxRouter.Calls.Engine;

/// <summary>
/// One call: a small state machine fed, in order, by its own event queue (CallEventQueues).
/// Never called concurrently for the same call.
/// </summary>
public abstract class CallSession(AriClient ari, CallTrace trace, ILogger logger, TimeProvider time)
{
    protected AriClient Ari { get; } = ari;
    protected ILogger Logger { get; } = logger;
    protected TimeProvider Time { get; } = time;
    public CallTrace Trace { get; } = trace;

    /// <summary>The patient's (or phone's) channel: the call's key in the event queues.</summary>
    public string CallId => Trace.CallId;
    public bool IsFinished { get; private set; }
    public string? Outcome { get; private set; }

    /// <summary>First step, on the StasisStart of the caller's channel.</summary>
    public abstract Task StartAsync(CancellationToken ct);

    /// <summary>One event of this call, in order.</summary>
    public abstract Task HandleAsync(AriEvent e, CancellationToken ct);

    /// <summary>After a reconnect: events were lost meanwhile; look at the call's real state and go on.</summary>
    public abstract Task ResumeAsync(CancellationToken ct);

    /// <summary>Completes when a flow running on its own task is over (the engine then ends the session).</summary>
    public virtual Task Completion => Task.CompletedTask;

    /// <summary>Called once when the engine ends the session (e.g. the channel vanished while disconnected).</summary>
    public virtual void OnEnded()
    {
    }

    protected void Finish(string outcome)
    {
        if (IsFinished) return;
        IsFinished = true;
        Outcome = outcome;
        Trace.Step($"ended: {outcome}");
    }

    /// <summary>Runs a channel command; a 404 means the caller already hung up, which is normal.</summary>
    protected async Task<bool> OnLiveChannelAsync(Func<Task> command, string what)
    {
        try
        {
            await command().ConfigureAwait(false);
            return true;
        }
        catch (AriNotFoundException)
        {
            Logger.LogDebug("Call {CallId}: {What} skipped, channel already gone", CallId, what);
            Finish("caller-hung-up");
            return false;
        }
    }
}
