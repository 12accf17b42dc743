namespace PbxRouter.Tests.Cli;

[TestFixture]
public sealed class ServeCommandTests
{
    [Test]
    public async Task Serve_OnADatabasePathThatDoesNotExist_RefusesWithExitCode2AndCreatesNothing()
    {
        var folder = CliRunner.TempFolder();
        var database = Path.Combine(folder, "mistyped", "pbxrouter.db");
        var config = Path.Combine(folder, "pbxrouter.json");
        await File.WriteAllTextAsync(config, $$"""{ "Ari": { "Password": "test-only" }, "Database": { "Path": "{{database}}" } }""");

        var result = await CliRunner.RunAsync("serve", "--config", config);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.Err);
            Assert.That(result.Err, Does.Contain($"the database {database}").And.Contain("does not exist").And.Contain("--create-database"));
            Assert.That(Directory.Exists(Path.GetDirectoryName(database)), Is.False, "nothing created");
        });
    }

    [Test]
    public void MissingDatabase_WhenTheFileExists_IsNull()
    {
        var database = Path.Combine(CliRunner.TempFolder(), "pbxrouter.db");
        File.WriteAllBytes(database, []);
        Assert.That(PbxRouter.Cli.ServeCommand.MissingDatabase(database), Is.Null);
    }
}
