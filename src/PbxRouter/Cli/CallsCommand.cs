using System.CommandLine;
using PbxRouter.Calls;
using PbxRouter.Routing;
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
                // A call a practice's phone made went to a patient's or a laboratory's number: masked like callers' numbers.
                // The practices' own numbers (what patients call) are shown; before any rules no phone can call out.
                var practiceNumbers = show ? null : await PracticeNumbersAsync(database, ct);
                bool Shown(string n) => practiceNumbers is null || n.Length == 0 || practiceNumbers.Contains(n);
                string Called(string n) => Shown(n) ? Text(n) : PhoneNumberMask.Mask(n);
                if (parse.GetValue(json))
                {
                    // JSON escapes control characters itself; only the mask applies.
                    CliContext.WriteJson(records.Select(r => r with
                    {
                        CallerNumber = show ? r.CallerNumber : PhoneNumberMask.Mask(r.CallerNumber),
                        CalledNumber = Shown(r.CalledNumber) ? r.CalledNumber : PhoneNumberMask.Mask(r.CalledNumber),
                    }));
                    return ExitCodes.Ok;
                }
                if (records.Count == 0) Console.Out.WriteLine("No call recorded yet.");
                foreach (var r in records.Reverse())
                {
                    Console.Out.WriteLine($"{r.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC  {Caller(r.CallerNumber)}{(r.CallerWithheld ? " (withheld)" : "")}" +
                                          $" -> {(r.CalledNumber.Length > 0 ? Called(r.CalledNumber) : "(not a number)")}  " +
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

    /// <summary>The numbers of the practices and lines in the rules in force; null before any rules (empty if they cannot be read).</summary>
    private static async Task<HashSet<string>?> PracticeNumbersAsync(StoreDatabase database, CancellationToken ct)
    {
        try
        {
            var repository = new RulesRepository(database, TimeProvider.System);
            var active = await repository.ActiveVersionNumberAsync(ct);
            if (active == 0 || await repository.GetAsync(active, ct) is not { } stored) return null;
            return [.. CompiledRules.FromJson(stored.CompiledJson).Numbers];
        }
        catch (Exception e) when (e is StoreException or InvalidRulesException)
        {
            return [];
        }
    }
}
