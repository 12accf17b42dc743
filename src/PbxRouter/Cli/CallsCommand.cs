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
                string Caller(string? n) => show ? n ?? "(none)" : PhoneNumberMask.Mask(n);
                if (parse.GetValue(json))
                {
                    CliContext.WriteJson(records.Select(r => r with { CallerNumber = Caller(r.CallerNumber) }));
                    return ExitCodes.Ok;
                }
                if (records.Count == 0) Console.Out.WriteLine("No call recorded yet.");
                foreach (var r in records.Reverse())
                {
                    Console.Out.WriteLine($"{r.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC  {Caller(r.CallerNumber)} -> {r.CalledNumber}  " +
                                          $"[{r.PracticeId ?? "-"}] {r.Outcome ?? "in progress"}" +
                                          $"{(r.AnsweredBy is null ? "" : $", answered by {r.AnsweredBy}")}{(r.HungUpBy is null ? "" : $", hung up by {r.HungUpBy}")}");
                    foreach (var s in r.Steps)
                        Console.Out.WriteLine($"    {s.Sequence,2}. {s.Kind}{(s.Target is null ? "" : $" {s.Target}")}{(s.Detail is null ? "" : $" ({s.Detail})")}");
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
