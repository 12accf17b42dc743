using Microsoft.Extensions.Logging;
using PbxRouter.Store;

namespace PbxRouter.Hosting;

/// <summary>
/// At start, the call records a previous engine left open (it crashed or was killed before the call ended) whose caller
/// is no longer in Stasis: the call ended while no engine ran (the dialplan's fallback route took it, or the caller hung
/// up). They are closed as "interrupted", so that every call has an outcome; those still in Stasis are taken over instead.
/// </summary>
public sealed class InterruptedCalls(CallRecordRepository records, CallRecordWriter writer, ILogger<InterruptedCalls> logger)
{
    public async Task CloseAsync(IReadOnlySet<string> inStasis, DateTimeOffset engineStarted, CancellationToken ct)
    {
        var open = await records.UnfinishedAsync(engineStarted, ct);
        var closed = 0;
        foreach (var callId in open.Where(id => !inStasis.Contains(id)))
        {
            await writer.AddStepAsync(callId, CallStepKinds.Fallback, null,
                "the engine stopped before the call ended; it ended while no engine ran (fallback route or caller hung up)", ct);
            await writer.EndCallAsync(callId, CallOutcomes.Interrupted, null, null, ct);
            closed++;
        }
        if (closed > 0)
            logger.LogWarning("{Count} calls of a previous engine ended while no engine ran: recorded as interrupted", closed);
    }
}
