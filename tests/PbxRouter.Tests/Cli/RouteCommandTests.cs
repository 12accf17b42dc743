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
