namespace PbxRouter.Tests.Cli;

/// <summary>`rules apply` speaks every text into the prompts folder (beside the database by default); `prompts upload` checks the WAV.</summary>
public class PromptsCommandTests
{
    private string _dir = null!;
    private string _db = null!;

    [SetUp]
    public void CreateFolder()
    {
        _dir = Directory.CreateTempSubdirectory("pbxrouter-prompts-cli-").FullName;
        _db = Path.Combine(_dir, "pbxrouter.db");
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task Apply_SpeaksEveryTextOnce_ThenListShowsThemUpToDate()
    {
        var first = await CliRunner.RunAsync("rules", "apply", CliRunner.SamplesFolder, "--db", _db);
        Assert.That(first.ExitCode, Is.Zero, first.Out + first.Err);
        Assert.That(first.Out, Does.Match(@"Prompts in .*: [1-9]\d* spoken"));
        Assert.That(File.Exists(Path.Combine(_dir, "prompts", "tilleuls-ferme.wav")), first.Out);
        var again = await CliRunner.RunAsync("rules", "apply", CliRunner.SamplesFolder, "--db", _db);
        Assert.That(again.Out, Does.Contain(": 0 spoken, 0 from cache"));
        var list = await CliRunner.RunAsync("prompts", "list", "--db", _db);
        Assert.That(list.ExitCode, Is.Zero, list.Out + list.Err);
        Assert.That(list.Out, Does.Contain("tilleuls-ferme").And.Contain("speech").And.Not.Contain("MISSING"));
    }

    [Test]
    public async Task Upload_NotAWav_IsRefusedAndUnknownNameIsSuggested()
    {
        await CliRunner.RunAsync("rules", "apply", Path.Combine(CliRunner.SamplesFolder, "tilleuls.yaml"), "--db", _db);
        var text = Path.Combine(_dir, "voice.wav");
        File.WriteAllText(text, "this is no audio");
        var refused = await CliRunner.RunAsync("prompts", "upload", "tilleuls-ferme", text, "--db", _db);
        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Err, Does.Contain("not a WAV file"));
        var unknown = await CliRunner.RunAsync("prompts", "upload", "tilleuls-fermee", text, "--db", _db);
        Assert.That(unknown.ExitCode, Is.EqualTo(1));
        Assert.That(unknown.Err, Does.Contain("'tilleuls-ferme'"));
    }

    [Test]
    public async Task Validate_WithoutSpeechToolsOrAudio_IsAMissingAudioErrorAtTheMessage()
    {
        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PBXROUTER_Asterisk__PromptsPath", Path.Combine(_dir, "empty"));
        Environment.SetEnvironmentVariable("PATH", _dir);
        try
        {
            var result = await CliRunner.RunAsync("rules", "validate", Path.Combine(CliRunner.SamplesFolder, "tilleuls.yaml"));
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Out);
            Assert.That(result.Out, Does.Match(@"tilleuls\.yaml:\d+:\d+: error: practices\[0\]\.messages\.closed: prompt 'tilleuls-ferme': its audio is missing .*espeak-ng is not installed.*\[missing-audio\]"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
            Environment.SetEnvironmentVariable("PBXROUTER_Asterisk__PromptsPath", null);
        }
    }
}
