using Microsoft.Extensions.Logging;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Voicemail;

/// <summary>Settings of the retention job (section "Retention").</summary>
public sealed class RetentionOptions
{
    /// <summary>Days a call record (with its steps) is kept after the call started; the record of a call not yet ended is never purged.</summary>
    public int CallRecordDays { get; set; } = 365;

    /// <summary>How often the engine purges (the first time once the rules in force are loaded after it starts).</summary>
    public TimeSpan Every { get; set; } = TimeSpan.FromDays(1);

    public IEnumerable<string> Problems()
    {
        if (CallRecordDays is < 1 or > 36500) yield return $"Retention:CallRecordDays {CallRecordDays} is not a number of days from 1 to 36500";
        if (Every < TimeSpan.FromMinutes(1)) yield return $"Retention:Every {Every} is shorter than a minute";
    }
}

/// <summary>A message past its box's keep_days.</summary>
public sealed record RetentionDue(VoicemailMessage Message, int KeepDays);

/// <summary>What a retention pass purged (or, dry run, would purge).</summary>
public sealed record RetentionReport(IReadOnlyList<RetentionDue> Messages, int CallRecords, bool DryRun);

/// <summary>
/// Deletes the voicemail messages older than their box's <c>keep_days</c> (rules in force; 30 for a box no longer in them)
/// and the call records older than Retention:CallRecordDays. A message's row goes first, with its 'purged' line in the
/// access log by <see cref="VoicemailRepository.RetentionActor"/> (one transaction), then its audio: a crash in between
/// leaves a file whose recording the ledger knows, which the reconciliation deletes.
/// </summary>
public sealed class VoicemailRetention(RetentionRepository store, IVoicemailAudio audio, RetentionOptions options, TimeProvider time,
    ILogger<VoicemailRetention> logger)
{
    /// <summary>The messages past their box's keep_days now, oldest first.</summary>
    public async Task<IReadOnlyList<RetentionDue>> DueAsync(CompiledRules rules, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var keep = rules.Model.Practices.SelectMany(p => p.VoicemailBoxes.Select(b => ((p.Id.Value, b.Id.Value), b.KeepDays)))
            .GroupBy(x => x.Item1).ToDictionary(g => g.Key, g => g.First().KeepDays);
        var due = new List<RetentionDue>();
        foreach (var message in await store.AllMessagesAsync(ct).ConfigureAwait(false))
        {
            var days = keep.GetValueOrDefault((message.PracticeId, message.Box), PbxRouter.Routing.Model.VoicemailBox.DefaultKeepDays);
            if (message.RecordedAt < now - TimeSpan.FromDays(days)) due.Add(new RetentionDue(message, days));
        }
        return due;
    }

    /// <summary>Purges (or, <paramref name="dryRun"/>, only lists) what is past its retention; call records too when <paramref name="callRecords"/>.</summary>
    public async Task<RetentionReport> RunAsync(CompiledRules rules, bool dryRun, bool callRecords, CancellationToken ct)
    {
        var due = await DueAsync(rules, ct).ConfigureAwait(false);
        var recordCutoff = time.GetUtcNow() - TimeSpan.FromDays(options.CallRecordDays);
        var records = callRecords ? await store.PurgeCallRecordsAsync(recordCutoff, dryRun, ct).ConfigureAwait(false) : 0;
        if (dryRun) return new RetentionReport(due, records, DryRun: true);
        if (due.Count > 0)
            await store.PurgeMessagesAsync(due.Select(d => d.Message.Id).ToList(), VoicemailRepository.RetentionActor, ct).ConfigureAwait(false);
        foreach (var d in due)
        {
            try
            {
                await audio.DeleteAsync(d.Message, ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                logger.LogError("Retention: audio of message {MessageId} not deleted now (the reconciliation will): {Error}", d.Message.Id, e.Message);
            }
            logger.LogInformation("Retention: message {MessageId} of box {Box} of {Practice}, recorded {RecordedAt:u}, purged (kept {Days} days)",
                d.Message.Id, d.Message.Box, d.Message.PracticeId, d.Message.RecordedAt, d.KeepDays);
        }
        if (due.Count > 0 || records > 0)
            logger.LogInformation("Retention: {Messages} voicemail messages and {Records} call records (older than {Days} days) purged",
                due.Count, records, options.CallRecordDays);
        return new RetentionReport(due, records, DryRun: false);
    }
}
