using System.CommandLine;
using PbxRouter.Routing;
using PbxRouter.Routing.Model;
using PbxRouter.Store;

namespace PbxRouter.Cli;

/// <summary>`rules show [PRACTICE]`: what the version in force says, practice by practice.</summary>
public static class RulesShowCommand
{
    public static Command Create()
    {
        var practice = new Argument<string?>("PRACTICE") { Description = "A practice id (default: list all practices)", Arity = ArgumentArity.ZeroOrOne };
        var db = CliContext.DatabaseOption();
        var json = CliContext.JsonOption();
        var version = new Option<int?>("--version") { Description = "Show this version instead of the one in force" };
        var command = new Command("show", "Show the rules in force (or --version N): practices, numbers, phones, modes, source files.") { practice, db, json, version };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var repository = new RulesRepository(await CliContext.OpenDatabaseAsync(parse.GetValue(db), ct), TimeProvider.System);
                var number = parse.GetValue(version) ?? await repository.ActiveVersionNumberAsync(ct);
                var stored = number == 0 ? null : await repository.GetAsync(number, ct);
                if (stored is null)
                    return CliContext.Fail("rules show", number == 0 ? "no rules applied yet: pbxrouter rules apply PATH" : $"there is no version {number}");
                var rules = CompiledRules.FromJson(stored.CompiledJson);
                var wanted = parse.GetValue(practice);
                var practices = rules.Model.Practices.Where(p => wanted is null || p.Id.Value == wanted).ToList();
                if (practices.Count == 0)
                    return CliContext.Fail("rules show", $"no practice '{wanted}' in version {number}; practices: {string.Join(", ", rules.Model.Practices.Select(p => p.Id.Value))}");
                if (parse.GetValue(json))
                {
                    CliContext.WriteJson(new { version = stored.Version, practices = practices.Select(Summary) });
                    return ExitCodes.Ok;
                }
                Console.Out.WriteLine($"Version {stored.Version.Number} ({stored.Version.ContentHash[..12]}), applied {stored.Version.AppliedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC by {stored.Version.AppliedBy}");
                foreach (var p in practices) Print(p);
                return ExitCodes.Ok;
            }
            catch (StoreException ex)
            {
                return CliContext.Fail("rules show", ex.Message, ExitCodes.Failure);
            }
        });
        return command;
    }

    private static object Summary(Practice p) => new
    {
        id = p.Id.Value, name = p.Name, numbers = p.Numbers.Select(n => n.Value), timeZone = p.TimeZone.Value,
        phones = p.Phones.Select(ph => ph.Id.Value), lines = p.Lines.Select(l => l.Id.Value), modes = p.Modes.Select(m => m.Id.Value),
        source = p.At.Short,
    };

    private static void Print(Practice p)
    {
        Console.Out.WriteLine();
        Console.Out.WriteLine($"{p.Id.Value}: {p.Name}  ({p.At.Short})");
        Console.Out.WriteLine($"  numbers:   {string.Join(", ", p.Numbers.Select(n => $"{n.Value} ({PhoneNumbers.ToNational(n.Value)})"))}");
        Console.Out.WriteLine($"  time zone: {p.TimeZone.Value}");
        if (p.Phones.Count > 0) Console.Out.WriteLine($"  phones:    {string.Join(", ", p.Phones.Select(ph => ph.Extension is { } x ? $"{ph.Id.Value} ({x.Value})" : ph.Id.Value))}");
        foreach (var line in p.Lines)
            Console.Out.WriteLine($"  line {line.Id.Value}: {string.Join(", ", line.Numbers.Select(n => n.Value))}");
        if (p.Modes.Count > 0) Console.Out.WriteLine($"  modes:     {string.Join(", ", p.Modes.Select(m => m.Id.Value))}");
        Console.Out.WriteLine($"  explain a call: pbxrouter route --to {p.Numbers.FirstOrDefault().Value} --from 0612345678 --at \"YYYY-MM-DD HH:MM\"");
    }
}
