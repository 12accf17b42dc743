using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Tests.Cli;

/// <summary>`pbxrouter report` on a real SQLite file whose call records were written by the real CallRecordWriter.</summary>
[TestFixture]
public sealed class ReportCommandTests
{
    private const string Rules = """
        secretariats:
          - { id: servitel, name: Servitel, number: "05 67 00 00 00" }
        practices:
          - id: tilleuls
            name: Cabinet des Tilleuls
            numbers: ["01 45 00 00 00"]
            service_level_seconds: 30
            phones:
              - { id: accueil-1, extension: "101", password_env: T_ACCUEIL1 }
            hours: { weekdays: ["08:00-19:00"] }
            messages: { closed: "Fermé. Urgence vitale : appelez le 15. Médecin de garde : 116 117." }
            queue: { members: [accueil-1], ring_time: 20s }
            overflow: { to: [servitel] }
            routes: { open: [queue, overflow], closed: [overflow] }
            lines:
              - { id: dr-a, numbers: ["01 45 00 00 99"] }
          - id: reunion
            name: Cabinet de Saint-Denis
            numbers: ["02 62 00 00 00"]
            time_zone: Indian/Reunion
            hours: { weekdays: ["08:00-19:00"] }
            messages: { closed: "Fermé. Urgence vitale : appelez le 15. Médecin de garde : 116 117." }
            overflow: { to: [servitel] }
            routes: { open: [overflow], closed: [overflow] }
        """;

    private string _db = "";

    [SetUp]
    public async Task RecordATuesday()
    {
        _db = Path.Combine(CliRunner.TempFolder(), "pbx.db");
        var database = new StoreDatabase(_db, TimeProvider.System);
        await database.MigrateAsync();
        var compiled = RulesCompiler.Compile("rules.yaml", Rules);
        Assert.That(compiled.Errors, Is.Empty, "the test's rules compile");
        await new RulesRepository(database, TimeProvider.System).ApplyAsync(new RulesApplication(
            [new RulesSourceFile("rules.yaml", Rules)], compiled.Rules!.ToJson(), compiled.Rules.ContentHash, "test", null));

        // Tuesday 1 December 2026 in Paris (UTC+1): local 09:00 is 08:00 UTC. Service level 30 s (from the rules).
        // The writer stamps each step with the fake clock's time, which only moves forward.
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T00:00:00Z"));
        await using var writer = new CallRecordWriter(database, time);
        async Task Call(string id, string at, string caller, string outcome, string? by, string called = "+33145000000", string practice = "tilleuls",
            params (int After, string Kind, string? Target, string? Detail)[] steps)
        {
            var start = DateTimeOffset.Parse(at);
            time.SetUtcNow(start);
            await writer.StartCallAsync(new CallRecordStart(id, start, practice, called, caller, 1));
            await writer.AddStepAsync(id, CallStepKinds.Entered, practice, "Open: open: Tuesday 08:00-19:00");
            foreach (var s in steps)
            {
                time.SetUtcNow(start.AddSeconds(s.After));
                await writer.AddStepAsync(id, s.Kind, s.Target, s.Detail);
            }
            await writer.EndCallAsync(id, outcome, by, "caller");
        }
        // La Réunion (UTC+4): 00:30 on 1 December there is 20:30 UTC on 30 November.
        await Call("r1", "2026-11-30T20:30:00Z", "+262692000001", CallOutcomes.Answered, "accueil", "+262262000000", "reunion",
            [(15, "answered", "accueil", null)]);
        // 09:00 answered in 25 s (in time: 30 s); 09:10 gave up after 40 s, called back at 11:00; 09:20 overflowed, answered
        // there at 40 s; 09:30 gave up after 12 s, not called back; 10:00 a call to Dr A's line answered in 10 s.
        await Call("c1", "2026-12-01T08:00:00Z", "+33611111111", CallOutcomes.Answered, "accueil-1", steps: [(25, "answered", "accueil-1", "tilleuls")]);
        await Call("c2", "2026-12-01T08:10:00Z", "+33622222222", CallOutcomes.Abandoned, null, steps: [(40, "abandoned", null, "after 40 s")]);
        await Call("c3", "2026-12-01T08:20:00Z", "+33633333333", CallOutcomes.Overflowed, "servitel", steps:
            [(30, "unanswered", "tilleuls", "nobody answered in 20 s"), (30, "ringing", "servitel", "overflow"), (40, "overflowed", "servitel", "Servitel")]);
        await Call("c4", "2026-12-01T08:30:00Z", "+33644444444", CallOutcomes.Abandoned, null, steps: [(12, "abandoned", null, "after 12 s")]);
        await Call("c5", "2026-12-01T09:00:00Z", "+33655555555", CallOutcomes.Answered, "accueil-1", called: "+33145000099",
            steps: [(10, "answered", "accueil-1", "tilleuls")]);
        // accueil-1 calls the 09:10 caller back at 11:00 (the phones' router writes "from phone ...").
        time.SetUtcNow(DateTimeOffset.Parse("2026-12-01T10:00:00Z"));
        await writer.StartCallAsync(new CallRecordStart("p1", time.GetUtcNow(), "tilleuls", "+33622222222", "+33145000000", 1));
        await writer.AddStepAsync("p1", CallStepKinds.Entered, "accueil-1", "from phone accueil-1: mobile number +336******22, allowed (mobiles)");
        await writer.EndCallAsync("p1", CallOutcomes.Answered, "+33622222222", "accueil-1");
        await writer.FlushAsync();
    }

    private Task<CliRunner.Result> Report(params string[] more) =>
        CliRunner.RunAsync(["report", "--practice", "tilleuls", "--from", "2026-12-01", "--to", "2026-12-01", "--db", _db, .. more]);

    [Test]
    public async Task Report_Text_GivesThePeriodsFiguresAndWhoToCallBack()
    {
        var result = await Report();

        Assert.That(result.ExitCode, Is.Zero, result.Err);
        // 5 calls offered; in time (30 s): c1 25 s, c5 10 s; c3 took 40 s. Answer times 25, 40, 10: mean 25, 90th percentile 40.
        Assert.That(result.Out, Does.Contain("Cabinet des Tilleuls (tilleuls), all numbers, 2026-12-01 to 2026-12-01 (Europe/Paris)"));
        Assert.That(result.Out, Does.Contain("  by number called  +33145000000: 4, +33145000099: 1"));
        Assert.That(result.Out, Does.Contain("40.0 %  2 of 5 answered within 30 s"));
        Assert.That(result.Out, Does.Contain("average 25.0 s, 90 % within 40.0 s (3 calls)"));
        Assert.That(result.Out, Does.Contain("40.0 %  2 of 5").And.Contain("Abandon rate"));
        Assert.That(result.Out, Does.Contain("20.0 %  1 of 5 to the secretariat, 1 answered there"));
        Assert.That(result.Out, Does.Contain("nobody answered in the ring time"));
        Assert.That(result.Out, Does.Contain("  09h     4 ").And.Contain("  10h     1 "), "by hour of Paris time");
        Assert.That(result.Out, Does.Contain("Tue 2026-12-01     5 "));
        Assert.That(result.Out, Does.Contain("Callers who gave up (2; 1 to call back)"));
        Assert.That(result.Out, Does.Contain("TO CALL BACK  +336******44     1 call Tue 01/12 09:30"));
        Assert.That(result.Out, Does.Contain("+336******22     1 call Tue 01/12 09:10; called back by accueil-1 Tue 01/12 11:00 (answered)"));
        Assert.That(result.Out, Does.Not.Contain("+33644444444"), "numbers masked without --show-numbers");
    }

    [Test]
    public async Task Report_ShowNumbers_GivesTheNumbersToCall()
    {
        var result = await Report("--show-numbers");

        Assert.That(result.Out, Does.Contain("TO CALL BACK  +33644444444"));
    }

    [Test]
    public async Task Report_Json_IsTheCalculatorsFigures()
    {
        var result = await Report("--json");

        Assert.That(result.ExitCode, Is.Zero, result.Err);
        var json = JsonDocument.Parse(result.Out).RootElement;
        Assert.That(json.GetProperty("calls").GetInt32(), Is.EqualTo(5));
        Assert.That(json.GetProperty("serviceLevelSeconds").GetInt32(), Is.EqualTo(30));
        Assert.That(json.GetProperty("serviceLevel").GetProperty("count").GetInt32(), Is.EqualTo(2));
        Assert.That(json.GetProperty("serviceLevel").GetProperty("rate").GetDouble(), Is.EqualTo(0.4));
        Assert.That(json.GetProperty("outcomes").GetProperty("abandoned").GetInt32(), Is.EqualTo(2));
        Assert.That(json.GetProperty("byHour").GetArrayLength(), Is.EqualTo(24));
        Assert.That(json.GetProperty("byHour")[9].GetProperty("calls").GetInt32(), Is.EqualTo(4));
        Assert.That(json.GetProperty("byDay")[0].GetProperty("date").GetString(), Is.EqualTo("2026-12-01"));
        var first = json.GetProperty("abandonedCallers")[0];
        Assert.That(first.GetProperty("number").GetString(), Is.EqualTo("+336******44"));
        Assert.That(first.GetProperty("toCallBack").GetBoolean(), Is.True);
        Assert.That(first.GetProperty("last").GetString(), Is.EqualTo("2026-12-01T09:30:00+01:00"));
    }

    [Test]
    public async Task Report_Csv_OneValueARow()
    {
        var result = await Report("--csv");

        Assert.That(result.ExitCode, Is.Zero, result.Err);
        var rows = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(rows[0], Is.EqualTo("section,key,measure,value"));
        Assert.That(rows, Does.Contain("service_level,30s,count,2").And.Contain("service_level,30s,rate,0.4"));
        Assert.That(rows, Does.Contain("outcome,abandoned,count,2").And.Contain("hour,09,calls,4").And.Contain("day,2026-12-01,calls,5"));
        Assert.That(rows, Does.Contain("overflow_reason,ring-timeout,count,1"));
        Assert.That(rows, Does.Contain("number,+33145000000,calls,4"), "a plain number stays a number");
        Assert.That(rows, Does.Contain("abandoned_caller,'+336******44,to_call_back,true"), "a masked number is not a formula");
    }

    [Test]
    public async Task Report_Line_OnlyTheCallsToThatNumber()
    {
        var result = await Report("--line", "01 45 00 00 99", "--json");

        Assert.That(result.ExitCode, Is.Zero, result.Err);
        var json = JsonDocument.Parse(result.Out).RootElement;
        Assert.That(json.GetProperty("line").GetString(), Is.EqualTo("+33145000099"));
        Assert.That(json.GetProperty("calls").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Report_PracticeInLaReunion_CountsItsOwnDays()
    {
        var result = await CliRunner.RunAsync("report", "--practice", "reunion", "--from", "2026-12-01", "--to", "2026-12-01", "--db", _db, "--json");

        var json = JsonDocument.Parse(result.Out).RootElement;
        Assert.That(json.GetProperty("timeZone").GetString(), Is.EqualTo("Indian/Reunion"));
        Assert.That(json.GetProperty("calls").GetInt32(), Is.EqualTo(1));
        Assert.That(json.GetProperty("byHour")[0].GetProperty("calls").GetInt32(), Is.EqualTo(1), "00:30 local");
    }

    [Test]
    public async Task Report_HostileCallerNumber_StaysOnItsLineAndIsNoFormula()
    {
        const string forged = "=cmd|' /C calc'!A0\r\nforged,line\u001b[2J";
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T17:00:30Z"));
        var records = new CallRecordRepository(new StoreDatabase(_db, time), time);
        await records.StartCallAsync(new CallRecordStart("h1", DateTimeOffset.Parse("2026-12-01T17:00:00Z"), "tilleuls", "+33145000000", forged, 1));
        await records.AddStepAsync("h1", CallStepKinds.Abandoned, null, "after 30 s");
        await records.EndCallAsync("h1", CallOutcomes.Abandoned, null, "caller");

        var text = await Report("--show-numbers");
        var csv = await Report("--show-numbers", "--csv");

        Assert.That(text.Out + csv.Out, Does.Not.Contain("\u001b"), "no terminal escape");
        Assert.That(text.Out.Split('\n').Count(l => l.Contains("forged", StringComparison.Ordinal)), Is.EqualTo(1), text.Out);
        var rows = csv.Out.Split('\n').Where(l => l.Contains("forged", StringComparison.Ordinal)).ToList();
        Assert.That(rows, Has.Count.EqualTo(5), "calls, last, called_back, called_again, to_call_back: one row each");
        Assert.That(rows, Has.All.StartWith("abandoned_caller,\"'=cmd"), "quoted, and an apostrophe before the formula");
    }

    [Test]
    public async Task Report_NoCallInThePeriod_SaysSo()
    {
        var result = await CliRunner.RunAsync("report", "--practice", "tilleuls", "--from", "2026-11-01", "--to", "2026-11-30", "--db", _db);

        Assert.That(result.ExitCode, Is.Zero, result.Err);
        Assert.That(result.Out, Does.Contain("No call in this period."));
    }

    [TestCase(new[] { "--practice", "nope" }, "--practice 'nope' is not a practice of the rules in force (version 1); practices: tilleuls, reunion")]
    [TestCase(new[] { "--from", "2026-13-01" }, "--from '2026-13-01' is not a date: write it YYYY-MM-DD")]
    [TestCase(new[] { "--to", "tomorrow" }, "--to 'tomorrow' is not a date")]
    [TestCase(new[] { "--from", "2026-12-02" }, "--to 2026-12-01 is before --from 2026-12-02")]
    [TestCase(new[] { "--from", "2025-01-01" }, "--from 2025-01-01 --to 2026-12-01 covers 700 days: at most 366")]
    [TestCase(new[] { "--line", "abc" }, "--line 'abc' is not a phone number")]
    [TestCase(new[] { "--line", "04 72 00 00 00" }, "--line +33472000000 is not a number of practice tilleuls; its numbers: +33145000000, +33145000099")]
    [TestCase(new[] { "--csv", "--json" }, "--csv and --json cannot be used together")]
    [TestCase(new[] { "--abandon-after", "-1" }, "--abandon-after -1")]
    public async Task Report_BadOption_NamesItAndChangesNothing(string[] options, string message)
    {
        var args = new Dictionary<string, string?> { ["--practice"] = "tilleuls", ["--from"] = "2026-12-01", ["--to"] = "2026-12-01", ["--db"] = _db };
        for (var i = 0; i < options.Length; i++)
            args[options[i]] = i + 1 < options.Length && !options[i + 1].StartsWith("--", StringComparison.Ordinal) ? options[++i] : null;

        var result = await CliRunner.RunAsync(["report", .. args.SelectMany(a => a.Value is null ? [a.Key] : new[] { a.Key, a.Value })]);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Err, Does.Contain("pbxrouter report: " + message));
        Assert.That(result.Out, Is.Empty);
    }

    [Test]
    public async Task Report_WithoutRules_SaysToApplyThem()
    {
        var empty = Path.Combine(CliRunner.TempFolder(), "empty.db");

        var result = await CliRunner.RunAsync("report", "--practice", "tilleuls", "--from", "2026-12-01", "--to", "2026-12-01", "--db", empty);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Err, Does.Contain("no rules applied yet"));
    }

    [Test]
    public async Task Report_WithoutPractice_NamesTheMissingOption()
    {
        var result = await CliRunner.RunAsync("report", "--from", "2026-12-01", "--to", "2026-12-01", "--db", _db);

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Err + result.Out, Does.Contain("--practice"));
    }
}
