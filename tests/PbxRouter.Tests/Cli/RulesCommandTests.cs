using System.Text.Json;

namespace PbxRouter.Tests.Cli;

[TestFixture]
public sealed class RulesCommandTests
{
    private string _dir = null!;
    private string _db = null!;

    [SetUp]
    public void CreateFolder()
    {
        _dir = CliRunner.TempFolder();
        _db = Path.Combine(_dir, "pbx.db");
    }

    private string BrokenCopy(Func<string, string> edit)
    {
        var path = Path.Combine(_dir, "tilleuls.yaml");
        File.WriteAllText(path, edit(File.ReadAllText(Path.Combine(CliRunner.SamplesFolder, "tilleuls.yaml"))));
        return path;
    }

    [Test]
    public async Task Validate_Samples_ExitsZeroAndSaysOk()
    {
        var result = await CliRunner.RunAsync("rules", "validate", CliRunner.SamplesFolder);
        Assert.That(result.ExitCode, Is.Zero, result.Out + result.Err);
        Assert.That(result.Out, Does.StartWith("OK: 2 file(s), 2 practice(s)"));
    }

    [Test]
    public async Task Validate_MisspelledField_NamesFileLineColumnFieldAndFix()
    {
        var path = BrokenCopy(t => t.Replace("ring_time: 20s", "ring_tme: 20s"));
        var result = await CliRunner.RunAsync("rules", "validate", path);
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Out, Does.Match(@"tilleuls\.yaml:\d+:\d+: error: practices\[0\]\.queue\.ring_tme: unknown field"));
        Assert.That(result.Out, Does.Contain("did you mean 'ring_time'"));
    }

    [Test]
    public async Task Validate_Json_ListsErrorsForTools()
    {
        var path = BrokenCopy(t => t.Replace("\"01 45 00 00 00\"", "\"01 45 00\""));
        var result = await CliRunner.RunAsync("rules", "validate", path, "--json");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        using var json = JsonDocument.Parse(result.Out);
        Assert.That(json.RootElement.GetProperty("valid").GetBoolean(), Is.False);
        var error = json.RootElement.GetProperty("errors")[0];
        Assert.That(error.GetProperty("code").GetString(), Is.EqualTo("invalid-number"));
        Assert.That(error.GetProperty("line").GetInt32(), Is.GreaterThan(0));
    }

    [Test]
    public async Task Validate_MissingPath_ExitsOneWithTheReason()
    {
        var result = await CliRunner.RunAsync("rules", "validate", Path.Combine(_dir, "nothing-here"));
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Err, Does.Contain("no rules file or folder"));
    }

    [Test]
    public async Task Apply_ThenInvalidApply_KeepsTheFirstVersionInForce()
    {
        var first = await CliRunner.RunAsync("rules", "apply", CliRunner.SamplesFolder, "--db", _db, "--by", "it-team");
        Assert.That(first.ExitCode, Is.Zero, first.Out + first.Err);
        Assert.That(first.Out, Does.StartWith("Applied version 1"));

        var broken = await CliRunner.RunAsync("rules", "apply", BrokenCopy(t => t.Replace("Europe/Paris", "Europe/Pariss")), "--db", _db);
        Assert.That(broken.ExitCode, Is.EqualTo(1));
        Assert.That(broken.Out, Does.Contain("nothing was changed"));

        var history = await CliRunner.RunAsync("rules", "history", "--db", _db, "--json");
        using var json = JsonDocument.Parse(history.Out);
        Assert.That(json.RootElement.GetArrayLength(), Is.EqualTo(1));
        Assert.That(json.RootElement[0].GetProperty("isActive").GetBoolean(), Is.True);
        Assert.That(json.RootElement[0].GetProperty("appliedBy").GetString(), Is.EqualTo("it-team"));
    }

    [Test]
    public async Task Apply_SameContentTwice_IsUnchanged()
    {
        await CliRunner.RunAsync("rules", "apply", CliRunner.SamplesFolder, "--db", _db);
        var again = await CliRunner.RunAsync("rules", "apply", CliRunner.SamplesFolder, "--db", _db);
        Assert.That(again.ExitCode, Is.Zero);
        Assert.That(again.Out, Does.StartWith("Unchanged: version 1"));
    }

    [Test]
    public async Task Rollback_BringsBackAnOlderVersionAsANewOne()
    {
        await CliRunner.RunAsync("rules", "apply", Path.Combine(CliRunner.SamplesFolder, "tilleuls.yaml"), "--db", _db);
        await CliRunner.RunAsync("rules", "apply", CliRunner.SamplesFolder, "--db", _db);

        var rollback = await CliRunner.RunAsync("rules", "rollback", "1", "--db", _db);
        Assert.That(rollback.ExitCode, Is.Zero, rollback.Err);
        Assert.That(rollback.Out, Does.Contain("Version 3 is now in force: a copy of version 1"));
        var show = await CliRunner.RunAsync("rules", "show", "--db", _db, "--json");
        using var json = JsonDocument.Parse(show.Out);
        Assert.That(json.RootElement.GetProperty("practices").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task Rollback_UnknownVersion_ExitsOne()
    {
        var result = await CliRunner.RunAsync("rules", "rollback", "42", "--db", _db);
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Err, Does.Contain("there is no version 42"));
    }
    [Test]
    public async Task Validate_TlsTrunkWithoutCertificate_NamesFileLineFieldAndTheSettings()
    {
        var path = BrokenCopy(t => t.Replace("transport: udp", "transport: tls"));
        var result = await CliRunner.RunAsync("rules", "validate", path);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Out);
        Assert.That(result.Out, Does.Match(@"tilleuls\.yaml:10:\d+: error: trunks\[0\]\.transport: trunk 'tilleuls-ovh' uses transport tls, but no TLS certificate is configured"));
        Assert.That(result.Out, Does.Contain("Fix: set Sip:TlsCertificate and Sip:TlsPrivateKey").And.Contain("[unavailable-transport]"));
    }

    [Test]
    public async Task Validate_TlsTrunkWithReadableCertificate_IsAccepted()
    {
        var path = BrokenCopy(t => t.Replace("transport: udp", "transport: tls"));
        File.WriteAllText(Path.Combine(_dir, "cert.pem"), "-----BEGIN CERTIFICATE-----\n");
        File.WriteAllText(Path.Combine(_dir, "key.pem"), "-----BEGIN PRIVATE KEY-----\n");
        Environment.SetEnvironmentVariable("PBXROUTER_Sip__TlsCertificate", Path.Combine(_dir, "cert.pem"));
        Environment.SetEnvironmentVariable("PBXROUTER_Sip__TlsPrivateKey", Path.Combine(_dir, "key.pem"));
        try
        {
            var result = await CliRunner.RunAsync("rules", "validate", path);
            Assert.That(result.ExitCode, Is.Zero, result.Out);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PBXROUTER_Sip__TlsCertificate", null);
            Environment.SetEnvironmentVariable("PBXROUTER_Sip__TlsPrivateKey", null);
        }
    }
}
