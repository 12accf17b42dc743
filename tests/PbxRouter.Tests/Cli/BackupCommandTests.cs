using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using PbxRouter.Backup;
using PbxRouter.Cli;
using PbxRouter.Store;

namespace PbxRouter.Tests.Cli;

/// <summary>
/// `pbxrouter backup DEST` and `pbxrouter restore SRC`: the database through SQLite's online backup (while another
/// connection writes), voicemail audio (modes kept), prompts, the console cookie keys (0600/0700), the generated Asterisk files without SIP passwords, a
/// manifest that restore verifies before it writes anything.
/// </summary>
[TestFixture]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BackupCommandTests
{
    private const string SipSecret = "Phone-Secret-9f3a7c";

    private string _dir = "";
    private string _database = "";
    private StoreDatabase _db = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _dir = CliRunner.TempFolder();
        _database = Path.Combine(_dir, "state", "pbx.db");
        Directory.CreateDirectory(Path.GetDirectoryName(_database)!);
        _db = new StoreDatabase(_database, TimeProvider.System);
        await _db.MigrateAsync();
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string VoicemailFolder => Path.Combine(_dir, "state", "voicemail");
    private string PromptsFolder => Path.Combine(_dir, "state", "prompts");

    private const string RecordingName = "vm~tilleuls~cabinet~1764660000~m-1~p33612345678";

    /// <summary>A message indexed with its audio (0600 in a 0700 folder, as the engine keeps them), a prompt, a TEMP leftover.</summary>
    private async Task StateAsync()
    {
        var message = new VoicemailMessage("m-1", "cabinet", "tilleuls", "+33612345678", DateTimeOffset.UtcNow.AddHours(-1), 5, RecordingName, false, null);
        await new VoicemailImportRepository(_db, TimeProvider.System).ImportAsync(RecordingName, message);
        Directory.CreateDirectory(Path.Combine(VoicemailFolder, "TEMP"));
        var audio = Path.Combine(VoicemailFolder, RecordingName + ".wav");
        await File.WriteAllBytesAsync(audio, RandomNumberGenerator.GetBytes(4000));
        File.SetUnixFileMode(audio, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(VoicemailFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await File.WriteAllBytesAsync(Path.Combine(VoicemailFolder, "TEMP", "partial.wav"), [9, 9, 9]);
        Directory.CreateDirectory(Path.Combine(PromptsFolder, "tilleuls"));
        await File.WriteAllBytesAsync(Path.Combine(PromptsFolder, "tilleuls", "greeting.wav"), RandomNumberGenerator.GetBytes(2000));
        await File.WriteAllTextAsync(Path.Combine(PromptsFolder, "tilleuls", "greeting.json"), "{\"text\":\"Bonjour\"}");
        Directory.CreateDirectory(Path.Combine(PromptsFolder, ".voicemail-playback"));
        await File.WriteAllBytesAsync(Path.Combine(PromptsFolder, ".voicemail-playback", "copy.wav"), [1, 2]);
    }

    private static IEnumerable<string> FilesUnder(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories);

    private static Dictionary<string, string> Snapshot(string folder) => FilesUnder(folder).ToDictionary(
        f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Test]
    public async Task Backup_WhileAnotherConnectionWrites_IsAConsistentCopy_AndTheWriterIsNotStopped()
    {
        await using (var setup = _db.Open())
            await setup.ExecuteAsync("CREATE TABLE load (id INTEGER PRIMARY KEY, pair INTEGER NOT NULL)");
        using var stop = new CancellationTokenSource();
        var written = 0;
        // Each transaction writes two rows of the same pair: a consistent copy has only whole pairs.
        var writer = Task.Run(async () =>
        {
            await using var connection = _db.Open();
            while (!stop.IsCancellationRequested)
            {
                await using var tx = connection.BeginTransaction();
                await connection.ExecuteAsync("INSERT INTO load (pair) VALUES (@n); INSERT INTO load (pair) VALUES (@n)", new { n = written }, tx);
                await tx.CommitAsync();
                Interlocked.Increment(ref written);
            }
        });
        while (Volatile.Read(ref written) < 50) await Task.Delay(10);
        var before = Volatile.Read(ref written);

        var dest = Path.Combine(_dir, "backup");
        var result = await CliRunner.RunAsync("backup", dest, "--db", _database);
        var during = Volatile.Read(ref written) - before;
        while (Volatile.Read(ref written) < before + during + 20) await Task.Delay(10);
        await stop.CancelAsync();
        await writer;

        Assert.That(result.ExitCode, Is.Zero, result.Err);
        Assert.That(during, Is.GreaterThan(0), "the writer kept writing while the backup ran");
        var copy = Path.Combine(dest, BackupManifest.DatabaseEntry);
        Assert.That(File.Exists(copy + "-wal"), Is.False, "the copy is one self-contained file");
        await using var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await check.OpenAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(await check.ExecuteScalarAsync<string>("PRAGMA integrity_check"), Is.EqualTo("ok"));
            var rows = await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM load");
            Assert.That(rows, Is.GreaterThanOrEqualTo(2 * before));
            Assert.That(await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM (SELECT pair FROM load GROUP BY pair HAVING COUNT(*) <> 2)"), Is.Zero, "only whole transactions");
            Assert.That(await check.ExecuteScalarAsync<long>("SELECT MAX(pair) + 1 FROM load") * 2, Is.EqualTo(rows), "no gap: a snapshot at one instant");
        });
        var manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(Path.Combine(dest, "manifest.json")), CliContext.Json)!;
        Assert.That(manifest.SchemaVersion, Is.EqualTo(StoreDatabase.KnownSchemaVersion));
        Assert.That(BackupManifest.Verify(dest, manifest), Is.Empty);
    }

    [Test]
    public async Task Backup_KeepsVoicemailModes_LeavesOutTempAndPlaybackCopies_AndNoFileHoldsASipPassword()
    {
        await StateAsync();
        var generated = Path.Combine(_dir, "asterisk", "pjsip_generated.conf");
        Directory.CreateDirectory(Path.GetDirectoryName(generated)!);
        await File.WriteAllTextAsync(generated, $"[tilleuls-accueil-1]\ntype = auth\nauth_type = userpass\nusername = tilleuls-accueil-1\npassword = {SipSecret}\n");
        await File.WriteAllTextAsync(Path.Combine(_dir, "asterisk", "extensions_generated.conf"), "[fallback-tilleuls]\nexten => s,1,Hangup()\n");
        var config = Path.Combine(_dir, "pbxrouter.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { Asterisk = new { GeneratedConfigPath = generated } }));

        var dest = Path.Combine(_dir, "backup");
        var result = await CliRunner.RunAsync("backup", dest, "--config", config, "--db", _database);

        Assert.That(result.ExitCode, Is.Zero, result.Err);
        var files = FilesUnder(dest).Select(f => Path.GetRelativePath(dest, f)).Order().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(files, Is.EquivalentTo(new[]
            {
                "manifest.json", "database/pbxrouter.db", $"voicemail/{RecordingName}.wav", "prompts/tilleuls/greeting.wav",
                "prompts/tilleuls/greeting.json", "asterisk/pjsip_generated.conf", "asterisk/extensions_generated.conf",
            }));
            Assert.That(File.GetUnixFileMode(Path.Combine(dest, "voicemail")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            Assert.That(File.GetUnixFileMode(Path.Combine(dest, "voicemail", RecordingName + ".wav")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            foreach (var file in FilesUnder(dest))
                Assert.That(File.ReadAllText(file), Does.Not.Contain(SipSecret), file);
            Assert.That(File.ReadAllText(Path.Combine(dest, "asterisk", "pjsip_generated.conf")), Does.Contain("username = tilleuls-accueil-1").And.Contain("password = <removed-by-backup"));
            Assert.That(result.Out, Does.Contain("SIP passwords were removed"));
        });

        // Restored elsewhere: the same modes.
        var target = Path.Combine(_dir, "restored", "pbx.db");
        var restored = await CliRunner.RunAsync("restore", dest, "--db", target);
        Assert.That(restored.ExitCode, Is.Zero, restored.Err);
        var folder = Path.Combine(_dir, "restored", "voicemail");
        Assert.That(File.GetUnixFileMode(folder), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        Assert.That(File.GetUnixFileMode(Path.Combine(folder, RecordingName + ".wav")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public async Task Backup_LeavesTheConsoleCookieKeysOut_TheyAreASecret()
    {
        var keys = Path.Combine(_dir, "state", "console-keys");
        Directory.CreateDirectory(keys);
        await File.WriteAllTextAsync(Path.Combine(keys, "key-6f0c.xml"), "<key id=\"6f0c\"><secret>not-a-real-key</secret></key>");

        var dest = Path.Combine(_dir, "backup");
        var backup = await CliRunner.RunAsync("backup", dest, "--db", _database);

        Assert.That(backup.ExitCode, Is.Zero, backup.Err);
        Assert.That(Directory.GetFileSystemEntries(dest, "*", SearchOption.AllDirectories).Where(e => e.Contains("console-keys", StringComparison.Ordinal)), Is.Empty);
        Assert.That(Directory.GetFiles(dest, "*", SearchOption.AllDirectories).Select(File.ReadAllText), Has.None.Contains("not-a-real-key"));
    }

    [Test]
    public async Task Backup_RefusesANonEmptyDestination_NamingIt()
    {
        var dest = Path.Combine(_dir, "taken");
        Directory.CreateDirectory(dest);
        await File.WriteAllTextAsync(Path.Combine(dest, "other.txt"), "keep me");

        var result = await CliRunner.RunAsync("backup", dest, "--db", _database);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(result.Err, Does.Contain(dest).And.Contain("not empty"));
        Assert.That(Directory.GetFileSystemEntries(dest), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Restore_IntoAnEmptyFolder_ListsTheVoicemailWithItsAudio_AndSaysWhatToDoNext()
    {
        await StateAsync();
        var dest = Path.Combine(_dir, "backup");
        Assert.That((await CliRunner.RunAsync("backup", dest, "--db", _database)).ExitCode, Is.Zero);
        var empty = Path.Combine(_dir, "new-machine");
        Directory.CreateDirectory(empty);
        var target = Path.Combine(empty, "pbx.db");

        var result = await CliRunner.RunAsync("restore", dest, "--db", target);
        var entries = Directory.GetFileSystemEntries(empty).Select(Path.GetFileName).ToList();
        var list = await CliRunner.RunAsync("voicemail", "list", "cabinet", "--db", target);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.Err);
            Assert.That(result.Out, Does.Contain(target).And.Contain(Path.Combine(empty, "voicemail")).And.Contain(Path.Combine(empty, "prompts")));
            Assert.That(result.Out, Does.Contain("restart the engine"));
            Assert.That(list.ExitCode, Is.Zero, list.Err);
            Assert.That(list.Out, Does.Contain("m-1").And.Not.Contain("AUDIO MISSING"));
            Assert.That(Snapshot(Path.Combine(empty, "prompts")), Is.EqualTo(Snapshot(PromptsFolder).Where(p => !p.Key.StartsWith(".voicemail-playback")).ToDictionary()));
            Assert.That(entries, Is.EquivalentTo(new[] { "pbx.db", "voicemail", "prompts" }), "no staging left");
        });
    }

    [Test]
    public async Task Restore_ACorruptedFile_IsRefusedBeforeAnythingIsWritten_EvenWithForce()
    {
        await StateAsync();
        var dest = Path.Combine(_dir, "backup");
        Assert.That((await CliRunner.RunAsync("backup", dest, "--db", _database)).ExitCode, Is.Zero);
        var audio = Path.Combine(dest, "voicemail", RecordingName + ".wav");
        var bytes = await File.ReadAllBytesAsync(audio);
        bytes[100] ^= 0xFF;
        File.SetUnixFileMode(audio, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllBytesAsync(audio, bytes);
        SqliteConnection.ClearAllPools();
        var stateBefore = Snapshot(Path.Combine(_dir, "state"));

        var empty = Path.Combine(_dir, "new-machine");
        Directory.CreateDirectory(empty);
        var intoEmpty = await CliRunner.RunAsync("restore", dest, "--db", Path.Combine(empty, "pbx.db"));
        var overExisting = await CliRunner.RunAsync("restore", dest, "--db", _database, "--force");

        Assert.Multiple(() =>
        {
            Assert.That(intoEmpty.ExitCode, Is.EqualTo(ExitCodes.InvalidInput));
            Assert.That(intoEmpty.Err, Does.Contain($"voicemail/{RecordingName}.wav: SHA-256 differs").And.Contain("nothing was restored"));
            Assert.That(Directory.GetFileSystemEntries(empty), Is.Empty);
            Assert.That(overExisting.ExitCode, Is.EqualTo(ExitCodes.InvalidInput));
            Assert.That(Snapshot(Path.Combine(_dir, "state")), Is.EqualTo(stateBefore));
            Assert.That(Directory.GetFileSystemEntries(Path.Combine(_dir, "state")).Select(Path.GetFileName),
                Has.None.StartsWith(".").And.None.Contains("before-restore"), "nothing staged, nothing moved aside");
        });
    }

    [Test]
    public async Task Restore_OverAnExistingDatabase_IsRefusedWithoutForce_AndWithForceMovesTheOldAside()
    {
        await StateAsync();
        var dest = Path.Combine(_dir, "backup");
        Assert.That((await CliRunner.RunAsync("backup", dest, "--db", _database)).ExitCode, Is.Zero);
        // Changed after the backup: a second message.
        await File.WriteAllBytesAsync(Path.Combine(VoicemailFolder, "vm~tilleuls~cabinet~1764669999~m-2~p33600000000.wav"), [4, 5, 6]);
        SqliteConnection.ClearAllPools();

        var refused = await CliRunner.RunAsync("restore", dest, "--db", _database);
        Assert.That(refused.ExitCode, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(refused.Err, Does.Contain(_database).And.Contain("--force"));
        Assert.That(File.Exists(Path.Combine(VoicemailFolder, "vm~tilleuls~cabinet~1764669999~m-2~p33600000000.wav")), Is.True);

        var forced = await CliRunner.RunAsync("restore", dest, "--db", _database, "--force");
        Assert.That(forced.ExitCode, Is.Zero, forced.Err);
        var state = Path.Combine(_dir, "state");
        var asideDb = Directory.GetFiles(state, "pbx.db.before-restore-*").Where(f => f.EndsWith("Z")).ToList();
        var asideVoicemail = Directory.GetDirectories(state, "voicemail.before-restore-*");
        Assert.Multiple(() =>
        {
            Assert.That(asideDb, Has.Count.EqualTo(1));
            Assert.That(asideVoicemail, Has.Length.EqualTo(1));
            Assert.That(File.Exists(Path.Combine(asideVoicemail[0], "vm~tilleuls~cabinet~1764669999~m-2~p33600000000.wav")), Is.True, "moved aside, not deleted");
            Assert.That(File.Exists(Path.Combine(VoicemailFolder, "vm~tilleuls~cabinet~1764669999~m-2~p33600000000.wav")), Is.False);
            Assert.That(File.Exists(Path.Combine(VoicemailFolder, RecordingName + ".wav")), Is.True);
            Assert.That(forced.Out, Does.Contain("the previous one is now"));
        });
    }

    [Test]
    public async Task Restore_AManifestNamingAFileOutsideTheBackup_IsRefused_AndNothingIsWritten()
    {
        var dest = Path.Combine(_dir, "backup");
        Assert.That((await CliRunner.RunAsync("backup", dest, "--db", _database)).ExitCode, Is.Zero);
        var outside = Path.Combine(_dir, "outside.wav");
        await File.WriteAllBytesAsync(outside, [1, 2, 3]);
        var manifestPath = Path.Combine(dest, "manifest.json");
        var manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(manifestPath), CliContext.Json)!;
        var hash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(outside)));
        manifest = manifest with { Files = [.. manifest.Files, new BackedUpFile("voicemail/../../outside.wav", 3, hash, "0600")] };
        File.SetUnixFileMode(manifestPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(manifest, CliContext.Json));
        var empty = Path.Combine(_dir, "new-machine");
        Directory.CreateDirectory(empty);

        var result = await CliRunner.RunAsync("restore", dest, "--db", Path.Combine(empty, "pbx.db"));

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(result.Err, Does.Contain("voicemail/../../outside.wav: not a path inside the backup"));
        Assert.That(Directory.GetFileSystemEntries(empty), Is.Empty);
    }
}
