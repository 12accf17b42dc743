using System.Text.Json;

namespace PbxRouter.Tests.Cli;

[TestFixture]
public sealed class RouteCommandTests
{
    private static Task<CliRunner.Result> Route(params string[] args) =>
        CliRunner.RunAsync(["route", "--rules", CliRunner.SamplesFolder, .. args]);

    [Test]
    public async Task Route_OnChristmas_ExplainsTheHolidayAndTheEmergencyMessage()
    {
        var result = await Route("--to", "01 45 00 00 00", "--from", "06 12 34 56 78", "--at", "2026-12-25 10:00");
        Assert.That(result.ExitCode, Is.Zero, result.Err);
        Assert.That(result.Out, Does.Contain("Christmas Day, French public holiday"));
        Assert.That(result.Out, Does.Contain("15").And.Contain("116 117"));
    }

    [Test]
    public async Task Route_FromAPhone_ExplainsEmergencyOutsideAllowedRefusedAndExtension()
    {
        var emergency = await Route("--phone", "tilleuls.accueil-1", "--to", "112");
        var mobile = await Route("--phone", "tilleuls.accueil-1", "--to", "06 12 34 56 78");
        var premium = await Route("--phone", "tilleuls.accueil-1", "--to", "0899123456", "--json");
        var extension = await Route("--phone", "tilleuls.accueil-1", "--to", "201");
        Assert.Multiple(() =>
        {
            Assert.That(emergency.Out, Does.Contain("emergency number: goes out").And.Contain("Presents: +33145000000").And.Contain("engine down"));
            Assert.That(mobile.Out, Does.Contain("Dials:    +33612345678 through trunk tilleuls-ovh").And.Contain("mobiles: true"));
            Assert.That(extension.Out, Does.Contain("internal call to dr-martin"));
        });
        using var json = JsonDocument.Parse(premium.Out);
        Assert.That(json.RootElement.GetProperty("kind").GetString(), Is.EqualTo("refused"));
        Assert.That(json.RootElement.GetProperty("numberKind").GetString(), Is.EqualTo("premium"));
    }

    [Test]
    public async Task Route_FromAnUnknownPhone_FailsWithAHint()
    {
        var result = await Route("--phone", "tilleuls.nobody", "--to", "15");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Err, Does.Contain("PRACTICE.PHONE"));
    }

    [Test]
    public async Task Route_OnATuesdayMorning_GoesToTheReceptionQueue()
    {
        var result = await Route("--to", "+33145000000", "--at", "2026-11-24 09:30", "--json");
        Assert.That(result.ExitCode, Is.Zero, result.Err);
        using var json = JsonDocument.Parse(result.Out);
        Assert.That(json.RootElement.GetRawText(), Does.Contain("queue"));
    }

    [Test]
    public async Task Route_AtATimeSkippedByDaylightSaving_SaysSo()
    {
        var result = await Route("--to", "0145000000", "--at", "2026-03-29 02:30");
        Assert.That(result.ExitCode, Is.Zero, result.Err);
        Assert.That(result.Out, Does.StartWith("Note: 2026-03-29 02:30 does not exist in Europe/Paris"));
    }

    [Test]
    public async Task Route_WithAPretendMode_FollowsTheMode()
    {
        var result = await Route("--to", "0145000000", "--at", "2026-11-24 09:30", "--mode", "tilleuls=all-to-secretariat");
        Assert.That(result.ExitCode, Is.Zero, result.Err);
        Assert.That(result.Out, Does.Contain("all-to-secretariat"));
    }

    [Test]
    public async Task Route_WithAPretendForward_ShowsTheForwardThenTheBox()
    {
        var result = await Route("--to", "0145000000", "--at", "2026-11-24 09:30", "--forward", "tilleuls=06 12 34 56 78");
        Assert.That(result.ExitCode, Is.Zero, result.Err);
        Assert.That(result.Out, Does.Contain("State:    Forwarded: forwarded to 06 12 34 56 78").And.Contain("1. Forward to +33612345678")
            .And.Contain("2. Voicemail 'tilleuls'"));
    }

    [Test]
    public async Task Route_AForwardStoredByStar21Number_IsShownFromTheDatabase()
    {
        var path = Path.Combine(CliRunner.TempFolder(), "pbx.db");
        var apply = await CliRunner.RunAsync("rules", "apply", CliRunner.SamplesFolder, "--db", path);
        Assert.That(apply.ExitCode, Is.Zero, apply.Out + apply.Err);
        await new PbxRouter.Store.RuntimeStateRepository(new PbxRouter.Store.StoreDatabase(path, TimeProvider.System), TimeProvider.System)
            .SetForwardAsync("tilleuls", "+33612345678", "dr-martin", "feature-code *21*NUMBER#");

        var result = await CliRunner.RunAsync("route", "--db", path, "--to", "0145000000", "--at", "2026-11-24 09:30");

        Assert.That(result.ExitCode, Is.Zero, result.Err);
        Assert.That(result.Out, Does.Contain("forwarded to 06 12 34 56 78 by dr-martin").And.Contain("Forward to +33612345678"));
    }

    [Test]
    public async Task Route_FromAPhone_ExplainsTheGsmForwardingCodes()
    {
        var allowed = await Route("--phone", "tilleuls.dr-martin", "--to", "*21*0612345678#");
        var refused = await Route("--phone", "tilleuls.dr-martin", "--to", "*21*0899123456#");
        Assert.That(allowed.Out, Does.Contain("forward the patient calls to mobile number 06 12 34 56 78"));
        Assert.That(refused.Out, Does.Contain("refused: premium-rate number"));
    }

    [TestCase("--forward", "tilleuls=premier", "must be PRACTICE=NUMBER")]
    [TestCase("--at", "Christmas morning", "is not a local time")]
    [TestCase("--to", "not-a-number", "is not a phone number")]
    [TestCase("--mode", "tilleuls", "must be PRACTICE=MODE")]
    public async Task Route_BadInput_ExitsOneAndSaysWhy(string option, string value, string message)
    {
        string[] args = option == "--to" ? ["--to", value] : ["--to", "0145000000", option, value];
        var result = await Route(args);
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Err, Does.Contain(message));
    }
}
