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
}
