using System.CommandLine;
using PbxRouter.Store;

namespace PbxRouter.Cli;

/// <summary>`pbxrouter voicemail outbox`: the notifications of new messages, where each stands (pending, failed, sent), and a retry.</summary>
public static class VoicemailOutboxCommand
{
    public static Command Create()
    {
        var state = new Option<string>("--state")
        {
            Description = "Only entries in this state: pending, sending, failed, sent or all",
            DefaultValueFactory = _ => "all",
        };
        state.AcceptOnlyFromAmong([.. OutboxStates.All, "all"]);
        var limit = new Option<int>("--limit") { Description = "At most this many entries, newest first", DefaultValueFactory = _ => 50 };
        var retry = new Option<long?>("--retry") { Description = "Put the failed entry ID back to pending: the engine sends it at its next pass" };
        var db = CliContext.DatabaseOption();
        var json = CliContext.JsonOption();
        var command = new Command("outbox",
            "Voicemail notifications (e-mail, webhook): pending, failed and sent, with attempts, next attempt and last error.")
        { state, limit, retry, db, json };
        command.SetAction(async (parse, ct) =>
        {
            var outbox = new NotificationOutboxRepository(await CliContext.OpenDatabaseAsync(parse.GetValue(db), ct), TimeProvider.System);
            if (parse.GetValue(retry) is { } id)
            {
                if (!await outbox.RetryAsync(id, ct))
                {
                    var entry = (await outbox.GetAsync([id], ct)).SingleOrDefault();
                    return CliContext.Fail("voicemail outbox", entry is null
                        ? $"no outbox entry {id}: see `pbxrouter voicemail outbox`"
                        : $"entry {id} is {entry.State}, not failed: nothing to retry");
                }
                Console.Out.WriteLine($"Entry {id} is pending again: the engine sends it at its next pass (Notifications:PollEvery).");
                return ExitCodes.Ok;
            }
            var wanted = parse.GetValue(state) is "all" or null ? [] : new[] { parse.GetValue(state)! };
            var entries = await outbox.ListAsync(wanted, Math.Max(1, parse.GetValue(limit)), ct);
            if (parse.GetValue(json))
                CliContext.WriteJson(entries.Select(e => new
                {
                    id = e.Id, state = e.State, messageId = e.MessageId, practice = e.PracticeId, box = e.Box, urgent = e.Urgent, kind = e.TargetKind,
                    target = e.Target, attempts = e.Attempts, nextAttemptAt = e.State == OutboxStates.Pending ? e.NextAttemptAt : (DateTimeOffset?)null,
                    lastError = e.LastError, createdAt = e.CreatedAt, updatedAt = e.UpdatedAt, sentAt = e.SentAt,
                }));
            else if (entries.Count == 0)
                Console.Out.WriteLine("No notification in the outbox.");
            else
                foreach (var e in entries)
                    Console.Out.WriteLine($"{e.Id,6} {e.State,-7} {e.Attempts,2} attempt(s) {e.TargetKind,-7} {e.Target} message {e.MessageId} box {e.Box}" +
                                          (e.Urgent ? " URGENT" : "") + When(e) + (e.LastError is { } error && e.State != OutboxStates.Sent ? $"\n{"",6} last error: {error}" : ""));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string When(OutboxEntry e) => e.State switch
    {
        OutboxStates.Sent => $" sent {e.SentAt:yyyy-MM-dd HH:mm:ss}Z",
        OutboxStates.Pending => $" next attempt {e.NextAttemptAt:yyyy-MM-dd HH:mm:ss}Z",
        OutboxStates.Failed => $" gave up {e.UpdatedAt:yyyy-MM-dd HH:mm:ss}Z",
        _ => $" since {e.UpdatedAt:yyyy-MM-dd HH:mm:ss}Z",
    };
}
