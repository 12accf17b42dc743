using PbxRouter.Store;

namespace PbxRouter.Tests.Cli;

[TestFixture]
public sealed class CallsCommandTests
{
    [Test]
    public async Task Calls_ShowsStepsAndMasksTheCallerUnlessAsked()
    {
        var path = Path.Combine(CliRunner.TempFolder(), "pbx.db");
        var db = new StoreDatabase(path, TimeProvider.System);
        await db.MigrateAsync();
        var records = new CallRecordRepository(db, TimeProvider.System);
        await records.StartCallAsync(new CallRecordStart("c1", DateTimeOffset.UtcNow, "tilleuls", "+33145000000", "+33612345678", 1));
        await records.AddStepAsync("c1", "entered", null, "inbound");
        await records.AddStepAsync("c1", "overflowed", "servitel", null);
        await records.EndCallAsync("c1", "overflowed", "servitel", "caller");

        var masked = await CliRunner.RunAsync("calls", "--db", path);
        Assert.That(masked.ExitCode, Is.Zero, masked.Err);
        Assert.That(masked.Out, Does.Contain("overflowed, answered by servitel").And.Contain("2. overflowed servitel"));
        Assert.That(masked.Out, Does.Not.Contain("+33612345678"));

        var full = await CliRunner.RunAsync("calls", "--db", path, "--show-numbers");
        Assert.That(full.Out, Does.Contain("+33612345678"));
    }

    [Test]
    public async Task Calls_APhonesOutsideCall_MasksTheNumberItCalled_ButNotThePracticesNumber()
    {
        var path = Path.Combine(CliRunner.TempFolder(), "pbx.db");
        var apply = await CliRunner.RunAsync("rules", "apply", CliRunner.SamplesFolder, "--db", path);
        Assert.That(apply.ExitCode, Is.Zero, apply.Out + apply.Err);
        var records = new CallRecordRepository(new StoreDatabase(path, TimeProvider.System), TimeProvider.System);
        await records.StartCallAsync(new CallRecordStart("in", DateTimeOffset.UtcNow, "tilleuls", "+33145000000", "+33612345678", 1));
        await records.StartCallAsync(new CallRecordStart("out", DateTimeOffset.UtcNow.AddSeconds(1), "tilleuls", "+33698765432", "+33145000000", 1));

        var masked = await CliRunner.RunAsync("calls", "--db", path);
        var full = await CliRunner.RunAsync("calls", "--db", path, "--show-numbers");

        Assert.That(masked.Out, Does.Contain("+336******78 -> +33145000000"), "a patient's call: the practice's number shown");
        Assert.That(masked.Out, Does.Contain("-> +336******32"), "a phone's call out: the number it called masked");
        Assert.That(masked.Out, Does.Not.Contain("+33698765432"));
        Assert.That(full.Out, Does.Contain("-> +33698765432"));
    }

    [Test]
    public async Task Calls_WithheldCaller_IsMaskedAndMarkedWithheld()
    {
        var (path, records) = await DatabaseAsync();
        await records.StartCallAsync(new CallRecordStart("c1", DateTimeOffset.UtcNow, "tilleuls", "+33145000000", "+33612345678", 1, CallerWithheld: true));

        var result = await CliRunner.RunAsync("calls", "--db", path);

        Assert.That(result.Out, Does.Contain("+336******78 (withheld) -> +33145000000"));
    }

    [Test]
    public async Task Calls_HostileCallerAndDialledText_NeverReachTheTerminalRaw()
    {
        var (path, records) = await DatabaseAsync();
        const string forged = "+336\r\n2026-12-01 10:00:00 UTC  forged -> line\u001b[2J\u001b]0;title\u0007";
        await records.StartCallAsync(new CallRecordStart("c1", DateTimeOffset.UtcNow, null, "", forged, 1));
        await records.AddStepAsync("c1", "entered", null, "the trunk dialled '" + forged + "'");
        await records.EndCallAsync("c1", "refused", null, "engine");

        foreach (var args in new[] { new[] { "calls", "--db", path }, ["calls", "--db", path, "--show-numbers"] })
        {
            var result = await CliRunner.RunAsync(args);
            Assert.Multiple(() =>
            {
                Assert.That(result.Out, Does.Not.Contain("\u001b").And.Not.Contain("\u0007"), "no terminal escape");
                Assert.That(result.Out.Split('\n').Count(l => l.Contains("forged", StringComparison.Ordinal)), Is.EqualTo(args.Length == 3 ? 1 : 2),
                    "each forged text stays inside its own line:\n" + result.Out);
                Assert.That(result.Out, Does.Contain("-> (not a number)"));
            });
        }
    }

    [Test]
    public async Task Calls_ATransferredCall_SaysWhoAnsweredAndWhoItWasTransferredTo()
    {
        var (path, records) = await DatabaseAsync();
        await records.StartCallAsync(new CallRecordStart("c1", DateTimeOffset.UtcNow, "tilleuls", "+33145000000", "+33612345678", 1));
        await records.AddStepAsync("c1", CallStepKinds.Answered, "accueil-1", "tilleuls");
        await records.AddStepAsync("c1", CallStepKinds.Transferred, "dr-martin", "blind transfer by accueil-1 to dr-martin (asked for '201')");
        await records.EndCallAsync("c1", CallOutcomes.Answered, "accueil-1", "dr-martin");

        var result = await CliRunner.RunAsync("calls", "--db", path);

        Assert.That(result.Out, Does.Contain("answered, answered by accueil-1, transferred to dr-martin, hung up by dr-martin")
            .And.Contain("2. transferred dr-martin (blind transfer by accueil-1"));
    }

    private static async Task<(string Path, CallRecordRepository Records)> DatabaseAsync()
    {
        var path = Path.Combine(CliRunner.TempFolder(), "pbx.db");
        var db = new StoreDatabase(path, TimeProvider.System);
        await db.MigrateAsync();
        return (path, new CallRecordRepository(db, TimeProvider.System));
    }
}
