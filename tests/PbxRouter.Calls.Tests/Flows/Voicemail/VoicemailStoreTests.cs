using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PbxRouter.Calls.Fallback;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Notifications;
using PbxRouter.Calls.Rules;
using PbxRouter.Calls.Tests.Fallback;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Flows.Voicemail;

/// <summary>
/// The engine's voicemail folder: messages moved out of Asterisk's spool (copy, fsync, rename, index, spool copy deleted),
/// and the reconciliation that repairs what a crash cut at any point, both ways.
/// </summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class VoicemailStoreTests
{
    private const string Name = "fallback~tilleuls~cabinet~1795000000~1795000000-7~p33612345678";
    private const string EngineName = "vm~tilleuls~cabinet~1795000100~1795000100-9~p33698765432";

    private const string Rules = """
        secretariats:
          - { id: sec, number: "05 67 00 00 00" }
        practices:
          - id: tilleuls
            name: Tilleuls
            numbers: ["01 45 00 00 00"]
            hours: { weekdays: ["08:00-19:00"] }
            messages:
              closed: "Fermé. Urgence vitale : appelez le 15. Médecin de garde : 116 117."
            overflow: { to: [sec] }
            voicemail_boxes:
              - { id: cabinet, notify: [{ email: cabinet@tilleuls.example.fr }] }
            routes:
              open: [overflow, { voicemail: cabinet }]
              closed: [{ announce: closed }, { voicemail: cabinet }]
        """;

    private string _folder = "";
    private StoreDatabase _db = null!;
    private FakeRecordings _asterisk = null!;
    private CapturingSender _sender = null!;
    private NotificationDispatcher _dispatcher = null!;

    /// <summary>What the sender was given, once the outbox's dispatcher sent what it had.</summary>
    private IReadOnlyCollection<(VoicemailNotice Notice, Notification Target)> Sent
    {
        get
        {
            _dispatcher.DrainAsync().GetAwaiter().GetResult();
            return _sender.Sent.ToList();
        }
    }
    private ListLogger _log = null!;
    private VoicemailFiles _files = null!;
    private VoicemailSpool _spool = null!;
    private VoicemailIndex _index = null!;
    private FallbackVoicemailImporter _importer = null!;
    private VoicemailReconciler _reconciler = null!;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "pbxrouter-vmstore-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _db = new StoreDatabase(Path.Combine(_folder, "pbxrouter.db"), TimeProvider.System);
        await _db.MigrateAsync();
        var rules = new ActiveRules(new RulesRepository(_db, TimeProvider.System), NullLogger<ActiveRules>.Instance);
        rules.Use(1, RulesCompiler.Compile("t.yaml", Rules).Rules!);
        _asterisk = new FakeRecordings();
        _sender = new CapturingSender();
        _log = new ListLogger();
        _time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T10:00:00Z"));
        var ari = _asterisk.Client();
        _files = new VoicemailFiles(Path.Combine(_folder, "voicemail"));
        _spool = new VoicemailSpool(ari, _files, new ListLogger<VoicemailSpool>(_log));
        var imports = new VoicemailImportRepository(_db, TimeProvider.System);
        (var notifier, _dispatcher) = TestNotifier.Create(_db, senders: _sender);
        _index = new VoicemailIndex(imports, notifier, _spool);
        _importer = new FallbackVoicemailImporter(ari, _index, rules, new VoicemailOptions(), new ListLogger<FallbackVoicemailImporter>(_log), _spool);
        _reconciler = new VoicemailReconciler(_spool, _index, imports, new RetentionRepository(_db, TimeProvider.System), rules, new VoicemailOptions(),
            _time, new ListLogger<VoicemailReconciler>(_log));
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<IReadOnlyList<VoicemailMessage>> Messages() => new VoicemailRepository(_db, TimeProvider.System).ListAsync("cabinet", includeListened: true);

    private string FileOf(string name) => Path.Combine(_folder, "voicemail", name + ".wav");

    [Test]
    public async Task Import_MovesTheRecordingIntoTheFolder_PrivateFiles_ThenIndexes_ThenDeletesTheSpoolCopy()
    {
        _asterisk.Stored[Name] = FakeRecordings.Wav(seconds: 5);

        Assert.That(await _importer.ImportAsync(CancellationToken.None), Is.EqualTo(new FallbackImportReport(1, 1, 0, 0, 0)));

        var message = (await Messages()).Single();
        Assert.Multiple(() =>
        {
            Assert.That(message.RecordingName, Is.EqualTo(Name));
            Assert.That(message.DurationSeconds, Is.EqualTo(5));
            Assert.That(File.ReadAllBytes(FileOf(Name)), Is.EqualTo(FakeRecordings.Wav(seconds: 5)), "the whole audio, in the folder");
            Assert.That(File.GetUnixFileMode(FileOf(Name)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "file 0600");
            Assert.That(File.GetUnixFileMode(_files.Folder), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute), "folder 0700");
            Assert.That(_asterisk.Stored.ContainsKey(Name), Is.False, "the spool copy is deleted");
            Assert.That(Directory.GetFiles(_files.TempFolder), Is.Empty, "no copy left in TEMP");
            Assert.That(Sent, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task AFailedCopy_KeepsTheSpoolCopy_IndexesAnyway_AndTheReconciliationMovesItLater()
    {
        _asterisk.Stored[Name] = FakeRecordings.Wav(seconds: 5);
        // The folder cannot be created (a file stands where it should be): the copy fails.
        await File.WriteAllTextAsync(Path.Combine(_folder, "voicemail"), "in the way");

        await _importer.ImportAsync(CancellationToken.None);
        Assert.That((await Messages()).Single().RecordingName, Is.EqualTo(Name), "indexed although its copy failed");
        Assert.That(_asterisk.Stored.ContainsKey(Name), "the spool copy is kept");

        File.Delete(Path.Combine(_folder, "voicemail"));
        var report = await _reconciler.RunAsync(CancellationToken.None);

        Assert.That(report.Moved, Is.EqualTo(1));
        Assert.That(File.Exists(FileOf(Name)));
        Assert.That(_asterisk.Stored.ContainsKey(Name), Is.False);
        Assert.That(Sent, Has.Count.EqualTo(1), "notified once");
    }

    [Test]
    public async Task CrashAfterTheRename_BeforeTheIndex_TheFileAloneIsIndexedFromItsNameAndWav_AndNotified()
    {
        // What a crash between the rename and the index leaves: the whole file in the folder, the spool copy, no row.
        _asterisk.Stored[EngineName] = FakeRecordings.Wav(seconds: 7);
        await _files.CopyFromSpoolAsync(_asterisk.Client(), EngineName, CancellationToken.None);
        _asterisk.Stored.TryRemove(EngineName, out _);

        var report = await _reconciler.RunAsync(CancellationToken.None);

        var message = (await Messages()).Single();
        Assert.Multiple(() =>
        {
            Assert.That(report.Indexed, Is.EqualTo(1));
            Assert.That(message.Id, Is.EqualTo(FallbackMessage.TryParse(EngineName)!.MessageId));
            Assert.That((message.PracticeId, message.Box, message.CallerNumber, message.DurationSeconds), Is.EqualTo(("tilleuls", "cabinet", "+33698765432", 7)));
            Assert.That(message.RecordedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1795000100)));
            Assert.That(Sent.Select(s => s.Notice.MessageId), Is.EqualTo(new[] { message.Id }), "notified");
            Assert.That(_log.Entries.Select(e => e.Message), Has.None.Contains("698765432"), "the caller's number is never logged");
        });
        Assert.That(await _reconciler.RunAsync(CancellationToken.None), Is.EqualTo(new ReconcileReport(0, 0, 0, 0, [])).Using<ReconcileReport>(SameReport));
        Assert.That(Sent, Has.Count.EqualTo(1), "a second pass notifies nothing");
    }

    [Test]
    public async Task CrashAfterTheIndex_BeforeTheSpoolCopyWasDeleted_TheSpoolCopyIsDeleted()
    {
        _asterisk.Stored[Name] = FakeRecordings.Wav(seconds: 5);
        await _importer.ImportAsync(CancellationToken.None);
        _asterisk.Stored[Name] = FakeRecordings.Wav(seconds: 5); // as if its deletion had not happened

        var report = await _reconciler.RunAsync(CancellationToken.None);

        Assert.That(report.SpoolCopiesDropped, Is.EqualTo(1));
        Assert.That(_asterisk.Stored.ContainsKey(Name), Is.False);
        Assert.That(File.Exists(FileOf(Name)));
        Assert.That(await Messages(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task AMessageDeletedBeforeItsFile_ItsFileIsDeleted_NeverIndexedAgain()
    {
        _asterisk.Stored[Name] = FakeRecordings.Wav(seconds: 5);
        await _importer.ImportAsync(CancellationToken.None);
        var message = (await Messages()).Single();
        // A phone deleted it (*97, 7) and the engine died before the file was deleted.
        await new VoicemailRepository(_db, TimeProvider.System).DeleteAsync(message.Id, "dr-martin");

        var report = await _reconciler.RunAsync(CancellationToken.None);

        Assert.That(report.Removed, Is.EqualTo(1));
        Assert.That(File.Exists(FileOf(Name)), Is.False);
        Assert.That(await Messages(), Is.Empty, "not brought back");
        Assert.That(Sent, Has.Count.EqualTo(1), "not notified again");
    }

    [Test]
    public async Task ARowWhoseAudioIsNowhere_IsReportedAndLogged_NeverDropped()
    {
        _asterisk.Stored[Name] = FakeRecordings.Wav(seconds: 5);
        await _importer.ImportAsync(CancellationToken.None);
        var message = (await Messages()).Single();
        File.Delete(FileOf(Name));

        var first = await _reconciler.RunAsync(CancellationToken.None);
        var second = await _reconciler.RunAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(first.Missing, Is.EqualTo(new[] { message.Id }));
            Assert.That(second.Missing, Is.EqualTo(new[] { message.Id }), "reported at every pass");
            Assert.That(await Messages(), Has.Count.EqualTo(1), "the row stays");
            Assert.That(_log.At(LogLevel.Error).Count(m => m.Contains(message.Id) && m.Contains("missing")), Is.EqualTo(1), "logged once");
        });
    }

    [Test]
    public async Task ARowIndexedBeforeTheFolderExisted_ItsAudioIsMovedFromTheSpool()
    {
        const string legacy = "vm-tilleuls-cabinet-20261124-x";
        _asterisk.Stored[legacy] = FakeRecordings.Wav(seconds: 9);
        await new VoicemailImportRepository(_db, TimeProvider.System).ImportAsync(legacy,
            new VoicemailMessage("legacy-1", "cabinet", "tilleuls", null, _time.GetUtcNow(), 9, legacy, false, null));

        var report = await _reconciler.RunAsync(CancellationToken.None);

        Assert.That(report.Moved, Is.EqualTo(1));
        Assert.That(File.ReadAllBytes(FileOf(legacy)), Is.EqualTo(FakeRecordings.Wav(seconds: 9)));
        Assert.That(_asterisk.Stored, Is.Empty);
    }

    [Test]
    public async Task APartialCopyLeftInTemp_IsDeletedOnceOld_AndNeverIndexed()
    {
        Directory.CreateDirectory(_files.TempFolder);
        var partial = Path.Combine(_files.TempFolder, Name + ".0123.part");
        await File.WriteAllBytesAsync(partial, [1, 2, 3]);
        File.SetLastWriteTimeUtc(partial, _time.GetUtcNow().UtcDateTime.AddMinutes(-11));

        await _reconciler.RunAsync(CancellationToken.None);

        Assert.That(File.Exists(partial), Is.False);
        Assert.That(await Messages(), Is.Empty);
    }

    [Test]
    public async Task AMessageBeingStored_IsLeftAloneByTheReconciliation()
    {
        _asterisk.Stored[EngineName] = FakeRecordings.Wav(seconds: 7);
        await _files.CopyFromSpoolAsync(_asterisk.Client(), EngineName, CancellationToken.None);
        using (_files.Hold(EngineName))
        {
            var report = await _reconciler.RunAsync(CancellationToken.None);
            Assert.That(report.Indexed + report.SpoolCopiesDropped, Is.Zero);
        }
        Assert.That(await Messages(), Is.Empty);
    }

    [Test]
    public async Task Playback_ACopyAsteriskCanRead_UnderTheAsteriskPath_RemovedWhenItsLeaseEnds_AndAtStart()
    {
        _asterisk.Stored[Name] = FakeRecordings.Wav(seconds: 5);
        await _importer.ImportAsync(CancellationToken.None);
        var message = (await Messages()).Single();
        var playback = Path.Combine(_folder, "prompts", ".voicemail-playback");
        using var audio = new FileVoicemailAudio(_files, playback, "/var/lib/pbxrouter/x/prompts/.voicemail-playback", null, _time,
            NullLogger<FileVoicemailAudio>.Instance);

        var media = audio.PlaybackMedia(message);

        var copy = Directory.GetFiles(playback).Single();
        Assert.Multiple(() =>
        {
            Assert.That(media, Is.EqualTo($"sound:/var/lib/pbxrouter/x/prompts/.voicemail-playback/{Path.GetFileNameWithoutExtension(copy)}"));
            Assert.That(File.ReadAllBytes(copy), Is.EqualTo(File.ReadAllBytes(FileOf(Name))));
            Assert.That(File.GetUnixFileMode(copy) & UnixFileMode.OtherRead, Is.EqualTo(UnixFileMode.OtherRead), "Asterisk's user reads it");
            Assert.That(File.GetUnixFileMode(playback) & (UnixFileMode.OtherRead | UnixFileMode.GroupRead), Is.EqualTo(UnixFileMode.None), "nobody else lists the folder");
        });
        _time.Advance(TimeSpan.FromSeconds(5) + FileVoicemailAudio.PlaybackMargin - TimeSpan.FromSeconds(1));
        Assert.That(audio.SweepExpired(), Is.Zero);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(audio.SweepExpired(), Is.EqualTo(1));
        Assert.That(Directory.GetFiles(playback), Is.Empty, "removed when its lease ended");

        audio.PlaybackMedia(message);
        using var next = new FileVoicemailAudio(_files, playback, "/x", null, _time, NullLogger<FileVoicemailAudio>.Instance);
        Assert.That(Directory.GetFiles(playback), Is.Empty, "an engine that starts removes every copy left there");
    }

    [Test]
    public async Task Delete_RemovesTheFile_AndOpenRead_ThenSaysMissing()
    {
        _asterisk.Stored[Name] = FakeRecordings.Wav(seconds: 5);
        await _importer.ImportAsync(CancellationToken.None);
        var message = (await Messages()).Single();
        using var audio = new FileVoicemailAudio(_files, Path.Combine(_folder, "pb"), "/pb", _asterisk.Client(), _time, NullLogger<FileVoicemailAudio>.Instance);

        await using (var read = await audio.OpenReadAsync(message, CancellationToken.None))
            Assert.That(WavDuration.Seconds(await ReadAllAsync(read!)), Is.EqualTo(5));
        await audio.DeleteAsync(message, CancellationToken.None);

        Assert.That(File.Exists(FileOf(Name)), Is.False);
        Assert.That(await audio.OpenReadAsync(message, CancellationToken.None), Is.Null);
    }

    private static bool SameReport(ReconcileReport a, ReconcileReport b) =>
        (a.Moved, a.Indexed, a.Removed, a.SpoolCopiesDropped) == (b.Moved, b.Indexed, b.Removed, b.SpoolCopiesDropped) && a.Missing.SequenceEqual(b.Missing);

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
