using System.CommandLine;
using PbxRouter.Calls;
using PbxRouter.Store;

namespace PbxRouter.Cli;

/// <summary>`pbxrouter calls`: the most recent call records, step by step (what happened to each call).</summary>
public static class CallsCommand
{
    public static Command Create()
    {
        var db = CliContext.DatabaseOption();
        var json = CliContext.JsonOption();
        var limit = new Option<int>("--limit") { Description = "How many calls (newest first)", DefaultValueFactory = _ => 20 };
        var practice = new Option<string?>("--practice") { Description = "Only this practice's calls" };
        var full = new Option<bool>("--show-numbers") { Description = "Show callers' numbers in full (personal data: masked by default)" };
        var command = new Command("calls", "Recent call records: outcome, who answered, and every step (entered, queued, rang, overflowed...).")
            { db, json, limit, practice, full };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var database = await CliContext.OpenDatabaseAsync(parse.GetValue(db), ct);
                var records = await new CallRecordRepository(database, TimeProvider.System)
                    .RecentAsync(parse.GetValue(limit), parse.GetValue(practice), ct);
                var show = parse.GetValue(full);
                // Callers' numbers (and what they dialled) are their own text: masked, and never printed raw to a terminal.
                string Caller(string? n) => show ? n is null ? "(none)" : UntrustedText.ForDisplay(n) : PhoneNumberMask.Mask(n);
                string Text(string? t) => UntrustedText.ForDisplay(t, 200);
                if (parse.GetValue(json))
                {
                    // JSON escapes control characters itself; only the mask applies.
                    CliContext.WriteJson(records.Select(r => r with { CallerNumber = show ? r.CallerNumber : PhoneNumberMask.Mask(r.CallerNumber) }));
                    return ExitCodes.Ok;
                }
                if (records.Count == 0) Console.Out.WriteLine("No call recorded yet.");
                foreach (var r in records.Reverse())
                {
                    Console.Out.WriteLine($"{r.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC  {Caller(r.CallerNumber)}{(r.CallerWithheld ? " (withheld)" : "")}" +
                                          $" -> {(r.CalledNumber.Length > 0 ? Text(r.CalledNumber) : "(not a number)")}  " +
                                          $"[{r.PracticeId ?? "-"}] {r.Outcome ?? "in progress"}" +
                                          $"{(r.AnsweredBy is null ? "" : $", answered by {Text(r.AnsweredBy)}")}" +
                                          $"{(r.TransferredTo is null ? "" : $", transferred to {Text(r.TransferredTo)}")}{(r.HungUpBy is null ? "" : $", hung up by {Text(r.HungUpBy)}")}");
                    foreach (var s in r.Steps)
                        Console.Out.WriteLine($"    {s.Sequence,2}. {s.Kind}{(s.Target is null ? "" : $" {Text(s.Target)}")}{(s.Detail is null ? "" : $" ({Text(s.Detail)})")}");
                }
                return ExitCodes.Ok;
            }
            catch (StoreException ex)
            {
                return CliContext.Fail("calls", ex.Message, ExitCodes.Failure);
            }
        });
        return command;
    }
}
