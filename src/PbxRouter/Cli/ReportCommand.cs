using System.CommandLine;
using NodaTime;
using NodaTime.Text;
using PbxRouter.Calls;
using PbxRouter.Calls.Figures;
using PbxRouter.Routing;
using PbxRouter.Routing.Model;
using PbxRouter.Store;

namespace PbxRouter.Cli;

/// <summary>`pbxrouter report`: a practice's figures for a period, from the call records (docs/figures.md).</summary>
public static class ReportCommand
{
    private const string Verb = "report";
    private const int MaxDays = 366;

    public static Command Create()
    {
        var practice = new Option<string>("--practice") { Description = "The practice (its id in the rules in force)", Required = true };
        var from = new Option<string>("--from") { Description = "First day, YYYY-MM-DD, in the practice's time zone", Required = true };
        var to = new Option<string>("--to") { Description = "Last day (included), YYYY-MM-DD", Required = true };
        var line = new Option<string?>("--line") { Description = "Only the calls to this number of the practice (e.g. 01 45 00 00 99)" };
        var csv = new Option<bool>("--csv") { Description = "CSV on stdout (section,key,measure,value)" };
        var json = CliContext.JsonOption();
        var abandonAfter = new Option<int>("--abandon-after")
        {
            Description = "A caller who hangs up before this many seconds is not counted as abandoned",
            DefaultValueFactory = _ => (int)FiguresSettings.DefaultAbandonAfter.TotalSeconds,
        };
        var full = new Option<bool>("--show-numbers") { Description = "Show the numbers of the callers who gave up in full (personal data: masked by default)" };
        var db = CliContext.DatabaseOption();
        var command = new Command(Verb, "A practice's figures for a period: calls by hour and day, outcomes, service level, time to answer, " +
            "abandoned callers (called back or not), overflow and why, urgent calls, voicemails.")
            { practice, from, to, line, csv, json, abandonAfter, full, db };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(csv) && parse.GetValue(json)) return CliContext.Fail(Verb, "--csv and --json cannot be used together: choose one");
            if (Date("--from", parse.GetValue(from)!) is not { } first || Date("--to", parse.GetValue(to)!) is not { } last) return ExitCodes.InvalidInput;
            if (last < first) return CliContext.Fail(Verb, $"--to {last:yyyy-MM-dd} is before --from {first:yyyy-MM-dd}");
            if (Period.DaysBetween(first, last) + 1 > MaxDays)
                return CliContext.Fail(Verb, $"--from {first:yyyy-MM-dd} --to {last:yyyy-MM-dd} covers {Period.DaysBetween(first, last) + 1} days: at most {MaxDays}");
            var seconds = parse.GetValue(abandonAfter);
            if (seconds is < 0 or > 600)
                return CliContext.Fail(Verb, $"--abandon-after {seconds}: give a number of seconds from 0 to 600");
            try
            {
                var database = await CliContext.OpenDatabaseAsync(parse.GetValue(db), ct);
                if (await PracticeAsync(database, parse.GetValue(practice)!, ct) is not { } found) return ExitCodes.InvalidInput;
                string? number = null;
                if (parse.GetValue(line) is { } wanted && (number = LineOf(found, wanted)) is null) return ExitCodes.InvalidInput;
                var query = new FiguresQuery(found.Id.Value, first, last, DateTimeZoneProviders.Tzdb[found.TimeZone.Value], number);
                var settings = FiguresSettings.Default with
                {
                    ServiceLevel = TimeSpan.FromSeconds(found.ServiceLevelSeconds), AbandonAfter = TimeSpan.FromSeconds(seconds),
                };
                // Calls after the period too: they say whether its abandoned callers were called back.
                var records = await new CallRecordRepository(database, TimeProvider.System).ForPracticeAsync(query.PracticeId,
                    query.Start.ToDateTimeOffset(), query.End.ToDateTimeOffset() + settings.CallBackWithin, ct);
                var figures = FiguresCalculator.Compute(query, settings, records);
                if (!parse.GetValue(full))
                    figures = figures with { AbandonedCallers = figures.AbandonedCallers.Select(c => c with { Number = Masked(c.Number) }).ToList() };
                if (parse.GetValue(json)) CliContext.WriteJson(figures);
                else if (parse.GetValue(csv)) ReportCsv.Write(Console.Out, figures);
                else ReportText.Write(Console.Out, found.Name, figures);
                return ExitCodes.Ok;
            }
            catch (StoreException ex)
            {
                return CliContext.Fail(Verb, ex.Message, ExitCodes.Failure);
            }
            catch (InvalidRulesException ex)
            {
                return CliContext.Fail(Verb, $"the rules in force cannot be read: {ex.Message}", ExitCodes.Failure);
            }
        });
        return command;
    }

    private static string? Masked(string? number) => number is null ? null : PhoneNumberMask.Mask(number);

    private static LocalDate? Date(string option, string text)
    {
        var parsed = LocalDatePattern.Iso.Parse(text.Trim());
        if (parsed.Success) return parsed.Value;
        CliContext.Fail(Verb, $"{option} '{UntrustedText.ForDisplay(text, 40)}' is not a date: write it YYYY-MM-DD, e.g. {option} 2026-12-01");
        return null;
    }

    /// <summary>The practice in the rules in force (its time zone, its numbers, its service level), or null after saying why.</summary>
    private static async Task<Practice?> PracticeAsync(StoreDatabase database, string id, CancellationToken ct)
    {
        var repository = new RulesRepository(database, TimeProvider.System);
        var active = await repository.ActiveVersionNumberAsync(ct);
        if (active == 0 || await repository.GetAsync(active, ct) is not { } stored)
        {
            CliContext.Fail(Verb, "no rules applied yet: the practices, their time zones and numbers come from the rules in force (pbxrouter rules apply PATH)");
            return null;
        }
        var practices = CompiledRules.FromJson(stored.CompiledJson).Model.Practices;
        if (practices.FirstOrDefault(p => p.Id.Value == id) is { } practice) return practice;
        CliContext.Fail(Verb, $"--practice '{UntrustedText.ForDisplay(id, 40)}' is not a practice of the rules in force (version {active}); " +
                              $"practices: {string.Join(", ", practices.Select(p => p.Id.Value))}");
        return null;
    }

    /// <summary>The E.164 form of <paramref name="wanted"/> when it is one of the practice's numbers (its own or its lines'), else null after saying why.</summary>
    private static string? LineOf(Practice practice, string wanted)
    {
        var numbers = practice.Numbers.Concat(practice.Lines.SelectMany(l => l.Numbers)).Select(n => n.Value).ToList();
        if (!PhoneNumbers.TryNormalize(wanted, out var e164))
            CliContext.Fail(Verb, $"--line '{UntrustedText.ForDisplay(wanted, 40)}' is not a phone number: write it like 01 45 00 00 00 or +33145000000");
        else if (!numbers.Contains(e164))
            CliContext.Fail(Verb, $"--line {e164} is not a number of practice {practice.Id.Value}; its numbers: {string.Join(", ", numbers)}");
        else
            return e164;
        return null;
    }
}
