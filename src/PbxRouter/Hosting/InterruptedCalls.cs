using Microsoft.Extensions.Logging;
using PbxRouter.Store;

namespace PbxRouter.Hosting;

/// <summary>
/// At start, the call records a previous engine left open (it crashed or was killed before the call ended) whose caller
/// is no longer in Stasis: the call ended while no engine ran. Each is closed with what its steps show: a conversation
/// that had started (`answered`, `overflowed`: it went on in Asterisk until someone hung up), a message being recorded
/// (`voicemail`: Asterisk finished the recording, the voicemail import indexes it), a refusal (`refused`), else
/// `interrupted` (the fallback
/// route took the caller, or the caller hung up). Calls still in Stasis are taken over instead.
/// </summary>
public sealed class InterruptedCalls(CallRecordRepository records, CallRecordWriter writer, ILogger<InterruptedCalls> logger)
{
    /// <param name="handled">The calls the engine handles (its own and those it took over).</param>
    public async Task CloseAsync(IReadOnlySet<string> handled, DateTimeOffset engineStarted, CancellationToken ct)
    {
        var closed = 0;
        foreach (var callId in (await records.UnfinishedAsync(engineStarted, ct)).Where(id => !handled.Contains(id)))
        {
            if (await records.GetAsync(callId, ct) is not { } record) continue;
            var (outcome, answeredBy, what) = EndOf(record.Steps);
            await writer.AddStepAsync(callId, CallStepKinds.Fallback, null,
                $"the engine stopped before the call ended; it ended while no engine ran ({what}; end time is when the next engine saw it)", ct);
            await writer.EndCallAsync(callId, outcome, answeredBy, null, ct);
            closed++;
        }
        if (closed > 0)
            logger.LogWarning("{Count} calls of a previous engine ended while no engine ran: their records are closed", closed);
    }

    /// <summary>How a call whose last steps are <paramref name="steps"/> ended once its engine was gone.</summary>
    public static (string Outcome, string? AnsweredBy, string What) EndOf(IReadOnlyList<CallStep> steps)
    {
        var last = steps.LastOrDefault(s => s.Kind is not (CallStepKinds.Dropped or CallStepKinds.Announced or CallStepKinds.Resumed));
        return last switch
        {
            { Kind: CallStepKinds.Answered } => (CallOutcomes.Answered, last.Target, $"in conversation with {last.Target}"),
            { Kind: CallStepKinds.Overflowed } => (CallOutcomes.Overflowed, last.Target, $"in conversation with {last.Target}"),
            { Kind: CallStepKinds.Voicemail, Target: null } => (CallOutcomes.Voicemail, null, "recording a message, imported from Asterisk's recordings"),
            { Kind: CallStepKinds.Refused } => (CallOutcomes.Refused, null, "refused as the rules ask"),
            _ => (CallOutcomes.Interrupted, null, "fallback route or caller hung up"),
        };
    }
}
