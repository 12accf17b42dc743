using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Reception;

/// <summary>
/// The reception queue: the caller waits with music, in arrival order; free members are rung with the queue's strategy
/// (a member already on a call is skipped), several waiting callers at once, each ringing members no earlier caller would
/// take; the first to answer is bridged with the caller and the others stop ringing.
/// Queue full, nobody free, ring time (ring all) or max wait reached: the next step (normally overflow).
/// </summary>
public sealed class QueueStep(QueueBoard board) : IStepExecutor
{
    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(1);

    public bool CanRun(PlanStep step) => step is Queue;

    public async Task<StepOutcome> RunAsync(CallContext call, PlanStep step, CancellationToken ct)
    {
        var queue = (Queue)step;
        var line = board.For(queue.QueueId);
        // A caller who waited here before the engine restarted gets their place back (arrival order, max wait from then).
        var kept = call.TakeQueuePlace(queue.QueueId);
        var since = kept ?? call.Time.GetUtcNow();
        if (!line.TryJoin(call.CallId, queue.MaxCallers, since, placeKept: kept is not null))
        {
            await call.RecordAsync(CallStepKinds.Unanswered, queue.QueueId, $"queue full: {queue.MaxCallers} callers already wait");
            return new StepOutcome.Next();
        }
        try
        {
            var free = await FreeMembersAsync(call, queue, ct);
            if (free.Registered == 0 || (queue.OverflowWhenAllBusy && line.Order(queue.Members, free.Free, queue.Strategy).Count == 0))
            {
                await call.RecordAsync(CallStepKinds.Unanswered, queue.QueueId,
                    free.Registered == 0 ? free.NoneAvailable : "every member is busy");
                return new StepOutcome.Next();
            }
            if (!await call.AnswerAsync(ct)) return new StepOutcome.CallerGone();
            await call.RecordAsync(CallStepKinds.Queued, queue.QueueId, kept is null ? $"position {line.PositionOf(call.CallId)}"
                : $"position {line.PositionOf(call.CallId)}, place kept since {since:HH:mm:ss} UTC");
            if (call.Saved is { } saved) await call.SaveAsync(saved with { QueueId = queue.QueueId, QueuedAt = since });
            var waiting = new QueueWait(call, queue, line, since);
            await waiting.StartMusicAsync(ct);
            var result = await WaitForMemberAsync(waiting, ct);
            if (result is StepOutcome.Next or StepOutcome.Urgent) await waiting.StopAsync(ct);
            return result;
        }
        finally
        {
            line.Leave(call.CallId);
        }
    }

    private async Task<StepOutcome> WaitForMemberAsync(QueueWait waiting, CancellationToken ct)
    {
        var (call, queue, line) = (waiting.Call, waiting.Queue, waiting.Line);
        while (waiting.Elapsed < queue.MaxWait)
        {
            // A caller who hung up must stop ringing phones at once (found by the queue benchmark: the loop
            // otherwise created and hung up hundreds of phone channels a second until max wait).
            if (call.CallerGone) return waiting.Leave(new StepOutcome.CallerGone());
            var first = line.PositionOf(call.CallId) == 1;
            var free = (await FreeMembersAsync(call, queue, ct)).Free;
            // Several callers ring distinct free members at once, in arrival order (QueueCoordinator.TryOffer).
            var targets = line.TryOffer(call.CallId, queue.Members, free, queue.Strategy);
            if (targets.Count == 0)
            {
                if (first && queue.OverflowWhenAllBusy && line.Order(queue.Members, free, queue.Strategy).Count == 0)
                {
                    await call.RecordAsync(CallStepKinds.Unanswered, queue.QueueId, "every member is busy");
                    return waiting.Leave(new StepOutcome.Next());
                }
                if (await waiting.IdleAsync(Slice, ct) is { } ended) return ended;
                continue;
            }
            var ring = Min(queue.RingTime, queue.MaxWait - waiting.Elapsed);
            var ringStarted = waiting.Elapsed;
            var result = await new MemberRinging(waiting, targets, board.Ringing, board.MembersOn(call.Ari)).RingAsync(ring, ct);
            if (result is not StepOutcome.Next) return result;
            // A ring that failed at once (phone unreachable, leg refused) is retried after a pause, not in a tight loop.
            if (waiting.Elapsed - ringStarted < Slice && await waiting.IdleAsync(Slice, ct) is { } stopped) return stopped;
            if (queue.Strategy == QueueStrategy.RingAll)
            {
                await waiting.Call.RecordAsync(CallStepKinds.Unanswered, queue.QueueId, $"nobody answered in {ring.TotalSeconds:0} s");
                return waiting.Leave(new StepOutcome.Next());
            }
        }
        await call.RecordAsync(CallStepKinds.Unanswered, queue.QueueId, $"max wait {queue.MaxWait.TotalSeconds:0} s reached");
        return waiting.Leave(new StepOutcome.Next());
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>
    /// Members whose phone is registered (online), and those of them not on a call, from the states kept in memory
    /// (<see cref="MemberStates"/>: read over ARI once, then kept by its events). A member whose state ARI could not give
    /// (500, timeout: reads are already retried by the transport) counts as unavailable for this check only.
    /// </summary>
    private async Task<MemberCheck> FreeMembersAsync(CallContext call, Queue queue, CancellationToken ct)
    {
        var states = board.MembersOn(call.Ari);
        var free = new HashSet<string>(StringComparer.Ordinal);
        var registered = 0;
        string? failure = null;
        foreach (var member in queue.Members)
        {
            try
            {
                // Null: not provisioned (no password in the environment, or removed from the rules).
                if (await states.GetAsync(PjsipConfig.PhoneEndpoint(call.Plan.PracticeId ?? "", member), ct) is not { Registered: true } state) continue;
                registered++;
                if (state.Free) free.Add(member);
            }
            catch (AriException e)
            {
                failure = e.Message;
                call.Logger.LogWarning("Call {CallId}: state of queue member {Member} unknown, skipped for now: {Error}", call.CallId, member, e.Message);
            }
        }
        return new(registered, free, failure);
    }

    /// <summary>What a check of the members found; <paramref name="Failure"/> when ARI could not tell for some of them.</summary>
    private readonly record struct MemberCheck(int Registered, HashSet<string> Free, string? Failure)
    {
        public string NoneAvailable => Failure is null ? "no member available (none registered)" : $"no member available (state unknown: {Failure})";
    }
}
