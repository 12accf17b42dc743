using System.CommandLine;
using NodaTime;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Cli;

/// <summary>`pbxrouter route --to N --from N --at T`: where would this call go, and why (a dry run of the decision).</summary>
public static class RouteCommand
{
    public static Command Create()
    {
        var to = new Option<string>("--to") { Description = "The number called (the practice's number), e.g. 0145000000 or +33145000000; with --phone, what the phone dials", Required = true };
        var phone = new Option<string?>("--phone")
        {
            Description = "Explain --to dialled from this phone, PRACTICE.PHONE (e.g. tilleuls.accueil-1): emergency number, feature code, extension, or outside number allowed or refused by the practice's outgoing policy",
        };
        var from = new Option<string>("--from") { Description = "The caller's number", DefaultValueFactory = _ => "+33600000000" };
        var at = new Option<string?>("--at") { Description = "Local time in the practice's time zone, \"2026-12-25 10:00\" (default: now)" };
        var rulesPath = new Option<string?>("--rules") { Description = "Explain with these YAML files instead of the version in force (check a change before applying it)" };
        var modes = new Option<string[]>("--mode") { Description = "Pretend PRACTICE=MODE is active (repeatable); default: the modes and forwards in the database", AllowMultipleArgumentsPerToken = false };
        var forwards = new Option<string[]>("--forward")
        {
            Description = "Pretend PRACTICE=NUMBER: the practice's calls are forwarded to NUMBER, as after *21*NUMBER# (repeatable)", AllowMultipleArgumentsPerToken = false,
        };
        var db = CliContext.DatabaseOption();
        var json = CliContext.JsonOption();
        var command = new Command("route", "Explain where a call would go and why, step by step. Changes nothing.") { to, from, at, rulesPath, modes, forwards, phone, db, json };
        command.SetAction(async (parse, ct) =>
        {
            var rules = await LoadRulesAsync(parse.GetValue(rulesPath), parse.GetValue(db), ct);
            if (rules is null) return ExitCodes.InvalidInput;
            if (parse.GetValue(phone) is { } dialler) return ExplainPhoneDial(rules, dialler, parse.GetValue(to)!, parse.GetValue(json));
            var state = await RuntimeStateAsync(parse.GetValue(modes) ?? [], parse.GetValue(forwards) ?? [], fromDatabase: parse.GetValue(rulesPath) is null,
                parse.GetValue(db), ct);
            if (state is null) return ExitCodes.InvalidInput;
            var answer = RouteQuestion.AskCall(rules, state, parse.GetValue(to)!, parse.GetValue(from)!, parse.GetValue(at),
                SystemClock.Instance.GetCurrentInstant(), RouteQuestion.CommandLine);
            if (answer.Plan is not { } plan) return CliContext.Fail("route", answer.Error!);
            if (parse.GetValue(json)) Console.Out.WriteLine(PlanFormatter.ToJson(plan));
            else
            {
                if (answer.Note is not null) Console.Out.WriteLine($"Note: {answer.Note}");
                Console.Out.Write(PlanFormatter.ToText(plan));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>What <paramref name="dialled"/> does when the phone PRACTICE.PHONE dials it.</summary>
    private static int ExplainPhoneDial(CompiledRules rules, string phone, string dialled, bool json)
    {
        var answer = RouteQuestion.AskPhoneDial(rules, phone, dialled, RouteQuestion.CommandLine);
        if (answer.Dial is not { } dial) return CliContext.Fail("route", answer.Error!);
        Console.Out.Write(json ? PhoneDialFormatter.ToJson(dial) + Environment.NewLine : PhoneDialFormatter.ToText(dial));
        return ExitCodes.Ok;
    }

    private static async Task<CompiledRules?> LoadRulesAsync(string? path, string? db, CancellationToken ct)
    {
        if (path is not null)
        {
            var outcome = RulesValidation.Load(path, "route");
            if (outcome is null) return null;
            if (outcome.Result.Rules is not null && outcome.Result.Errors.Count == 0) return outcome.Result.Rules;
            RulesValidation.PrintText(outcome);
            return null;
        }
        try
        {
            var repository = new RulesRepository(await CliContext.OpenDatabaseAsync(db, ct), TimeProvider.System);
            var active = await repository.ActiveVersionNumberAsync(ct);
            var stored = active == 0 ? null : await repository.GetAsync(active, ct);
            if (stored is not null) return CompiledRules.FromJson(stored.CompiledJson);
            CliContext.Fail("route", "no rules applied yet: `pbxrouter rules apply PATH`, or explain files directly with --rules PATH");
            return null;
        }
        catch (StoreException ex)
        {
            CliContext.Fail("route", ex.Message, ExitCodes.Failure);
            return null;
        }
    }

    private static async Task<RuntimeState?> RuntimeStateAsync(string[] pretend, string[] forwards, bool fromDatabase, string? db, CancellationToken ct)
    {
        var state = RuntimeState.None;
        if (pretend.Length == 0 && forwards.Length == 0 && fromDatabase)
        {
            var modes = await new RuntimeStateRepository(await CliContext.OpenDatabaseAsync(db, ct), TimeProvider.System).GetModesAsync(ct);
            foreach (var m in modes.Values)
                if (m.ForwardTo is not null) state = state.WithForward(m.PracticeId, m.ForwardTo, m.SetBy);
                else if (m.Mode is not null) state = state.WithMode(m.PracticeId, m.Mode, m.SetBy);
        }
        foreach (var p in pretend)
        {
            var parts = p.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                CliContext.Fail("route", $"--mode '{p}' must be PRACTICE=MODE, e.g. --mode tilleuls=secretariat");
                return null;
            }
            state = state.WithMode(parts[0], parts[1]);
        }
        foreach (var f in forwards)
        {
            var parts = f.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || !PhoneNumbers.TryNormalize(parts[1], out var number))
            {
                CliContext.Fail("route", $"--forward '{f}' must be PRACTICE=NUMBER, e.g. --forward tilleuls=0612345678");
                return null;
            }
            state = state.WithForward(parts[0], number);
        }
        return state;
    }
}
