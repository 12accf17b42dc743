using Microsoft.Data.Sqlite;
using PbxRouter.Routing;
using PbxRouter.Store;
using PbxRouter.Tests.Support;

namespace PbxRouter.Tests.Cli;

/// <summary>`pbxrouter voicemail list` and `pbxrouter voicemail purge [--dry-run]` on a database and its voicemail folder (beside it).</summary>
[TestFixture]
public sealed class VoicemailCommandTests
{
    private const string Rules = VoicemailRules.Yaml;

    private string _folder = "";
    private string _database = "";
    private StoreDatabase _db = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _folder = CliRunner.TempFolder();
        _database = Path.Combine(_folder, "pbx.db");
        _db = new StoreDatabase(_database, TimeProvider.System);
        await _db.MigrateAsync();
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string VoicemailFolder => Path.Combine(_folder, "voicemail");

    /// <summary>Indexes a message (as the engine does) and, when <paramref name="withAudio"/>, puts its file in the voicemail folder.</summary>
    private async Task<VoicemailMessage> MessageAsync(string id, string box, DateTimeOffset at, bool withAudio, string caller = "+33612345678")
    {
        var name = $"vm~tilleuls~{box}~{at.ToUnixTimeSeconds()}~{id}~{caller.Replace('+', 'p')}";
        var message = new VoicemailMessage(id, box, "tilleuls", caller, at, 5, name, box == "urgences", null);
        await new VoicemailImportRepository(_db, TimeProvider.System).ImportAsync(name, message);
        if (withAudio)
        {
            Directory.CreateDirectory(VoicemailFolder);
            await File.WriteAllBytesAsync(Path.Combine(VoicemailFolder, name + ".wav"), [1, 2, 3]);
        }
        return message;
    }

    private async Task ApplyRulesAsync()
    {
        var compiled = RulesCompiler.Compile("t.yaml", Rules);
        Assert.That(compiled.Errors, Is.Empty);
        await new RulesRepository(_db, TimeProvider.System).ApplyAsync(new RulesApplication([new RulesSourceFile("t.yaml", Rules)],
            compiled.Rules!.ToJson(), compiled.Rules.ContentHash, "test", null));
    }

    [Test]
    public async Task List_ShowsTheBoxsMessagesWithMaskedCallers_AndMarksAMessageWhoseAudioIsMissing()
    {
        var now = DateTimeOffset.UtcNow;
        await MessageAsync("m-stored", "cabinet", now.AddHours(-2), withAudio: true);
        await MessageAsync("m-lost", "cabinet", now.AddHours(-1), withAudio: false, caller: "+33698765432");
        await MessageAsync("m-other", "urgences", now, withAudio: true);

        var text = await CliRunner.RunAsync("voicemail", "list", "cabinet", "--db", _database);
        var json = await CliRunner.RunAsync("voicemail", "list", "cabinet", "--db", _database, "--json");

        Assert.Multiple(() =>
        {
            Assert.That(text.ExitCode, Is.Zero, text.Err);
            var lines = text.Out.Split('\n');
            Assert.That(lines.Single(l => l.StartsWith("m-stored")), Does.Contain("+336******78").And.Not.Contain("AUDIO MISSING"));
            Assert.That(lines.Single(l => l.StartsWith("m-lost")), Does.Contain("+336******32").And.Contain("AUDIO MISSING"));
            Assert.That(text.Out, Does.Contain($"1 message(s) without audio in {VoicemailFolder}"));
            Assert.That(text.Out, Does.Not.Contain("m-other"), "another box");
            Assert.That(text.Out + json.Out, Does.Not.Contain("612345678").And.Not.Contain("698765432"), "callers are masked");
            Assert.That(json.ExitCode, Is.Zero, json.Err);
            Assert.That(json.Out, Does.Contain("\"audio\": \"missing\"").And.Contain("\"audio\": \"stored\""));
        });
    }

    [Test]
    public async Task List_AnEmptyBox_SaysSo()
    {
        var result = await CliRunner.RunAsync("voicemail", "list", "cabinet", "--db", _database);
        Assert.That(result.ExitCode, Is.Zero, result.Err);
        Assert.That(result.Out, Does.Contain("No new message in box cabinet."));
    }

    [Test]
    public async Task Purge_DryRun_ShowsWhatIsOlderThanKeepDays_AndChangesNothing_ThenPurgeDeletesAndAudits()
    {
        await ApplyRulesAsync();
        var now = DateTimeOffset.UtcNow;
        var old = await MessageAsync("m-old", "cabinet", now.AddDays(-8), withAudio: true);       // keep_days 7: due
        var recent = await MessageAsync("m-recent", "cabinet", now.AddDays(-6), withAudio: true); // kept
        var urgent = await MessageAsync("m-urgent", "urgences", now.AddDays(-20), withAudio: true); // default 30: kept
        var repository = new VoicemailRepository(_db, TimeProvider.System);

        var dry = await CliRunner.RunAsync("voicemail", "purge", "--dry-run", "--db", _database);

        Assert.Multiple(async () =>
        {
            Assert.That(dry.ExitCode, Is.Zero, dry.Err);
            Assert.That(dry.Out, Does.Contain("m-old").And.Contain("tilleuls/cabinet").And.Contain("keep 7 days"));
            Assert.That(dry.Out, Does.Not.Contain("m-recent").And.Not.Contain("m-urgent"));
            Assert.That(dry.Out, Does.Contain("1 message(s) would be purged (dry run: nothing changed)."));
            Assert.That(await repository.ListAsync("cabinet", includeListened: true), Has.Count.EqualTo(2), "dry run: rows kept");
            Assert.That(File.Exists(Path.Combine(VoicemailFolder, old.RecordingName + ".wav")), "dry run: audio kept");
            Assert.That(await repository.AccessLogAsync("m-old"), Is.Empty, "dry run: nothing audited");
        });

        var purge = await CliRunner.RunAsync("voicemail", "purge", "--db", _database);

        Assert.Multiple(async () =>
        {
            Assert.That(purge.ExitCode, Is.Zero, purge.Err);
            Assert.That(purge.Out, Does.Contain("1 message(s) purged"));
            Assert.That((await repository.ListAsync("cabinet", includeListened: true)).Select(m => m.Id), Is.EqualTo(new[] { "m-recent" }));
            Assert.That(File.Exists(Path.Combine(VoicemailFolder, old.RecordingName + ".wav")), Is.False, "its audio is deleted");
            Assert.That(File.Exists(Path.Combine(VoicemailFolder, recent.RecordingName + ".wav")));
            Assert.That(File.Exists(Path.Combine(VoicemailFolder, urgent.RecordingName + ".wav")));
            var log = (await repository.AccessLogAsync("m-old")).Single();
            Assert.That((log.Action, log.By, log.Box), Is.EqualTo(("purged", VoicemailRepository.RetentionActor, "cabinet")));
        });
    }

    [Test]
    public async Task Purge_WithoutRulesInForce_RefusesAndChangesNothing()
    {
        await MessageAsync("m-old", "cabinet", DateTimeOffset.UtcNow.AddDays(-100), withAudio: true);

        var result = await CliRunner.RunAsync("voicemail", "purge", "--db", _database);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Err, Does.Contain("no rules applied yet"));
        Assert.That(await new VoicemailRepository(_db, TimeProvider.System).ListAsync("cabinet", includeListened: true), Has.Count.EqualTo(1));
    }
}
