using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Calls.Fallback;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Notifications;
using PbxRouter.Calls.Rules;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Fallback;

/// <summary>Messages left on the fallback route reach the store and their box's targets once, whatever fails on the way.</summary>
[TestFixture]
public sealed class FallbackVoicemailImporterTests
{
    private const string Name = "fallback~tilleuls~cabinet~1795000000~1795000000-7~p33612345678";
    private string _folder = "";
    private StoreDatabase _db = null!;
    private FakeRecordings _asterisk = null!;
    private CapturingSender _sender = null!;
    private NotificationDispatcher _dispatcher = null!;
    private ListLogger _log = null!;
    private FallbackVoicemailImporter _importer = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "pbxrouter-import-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _db = new StoreDatabase(Path.Combine(_folder, "pbxrouter.db"), TimeProvider.System);
        await _db.MigrateAsync();
        var rules = new ActiveRules(new RulesRepository(_db, TimeProvider.System), NullLogger<ActiveRules>.Instance);
        rules.Use(1, RulesCompiler.Compile("t.yaml", Rules).Rules!);
        _asterisk = new FakeRecordings();
        _sender = new CapturingSender();
        _log = new ListLogger();
        (var notifier, _dispatcher) = TestNotifier.Create(_db, senders: _sender);
        _importer = new FallbackVoicemailImporter(_asterisk.Client(), new VoicemailIndex(new VoicemailImportRepository(_db, TimeProvider.System), notifier),
            rules, new VoicemailOptions(), new ListLogger<FallbackVoicemailImporter>(_log));
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task Import_ANewMessage_IsIndexedAndNotifiedOnce_AndTheNextPassDoesNothing()
    {
        _asterisk.Stored[Name] = FakeRecordings.Wav(seconds: 5);
        _asterisk.Stored["vm-tilleuls-cabinet-20261124-x"] = FakeRecordings.Wav(seconds: 9);

        Assert.That(await _importer.ImportAsync(CancellationToken.None), Is.EqualTo(new FallbackImportReport(1, 1, 0, 0, 0)));
        Assert.That(await _importer.ImportAsync(CancellationToken.None), Is.EqualTo(new FallbackImportReport(0, 0, 0, 0, 0)));

        await _dispatcher.DrainAsync();
        var message = (await Messages()).Single();
        Assert.Multiple(() =>
        {
            Assert.That(message, Is.EqualTo(new VoicemailMessage("20261118110640-fallback-1795000000-7", "cabinet", "tilleuls", "+33612345678",
                DateTimeOffset.FromUnixTimeSeconds(1795000000), 5, Name, false, "1795000000.7")));
            Assert.That(_sender.Sent.Select(s => (s.Notice.MessageId, s.Target.Target)), Is.EqualTo(new[] { (message.Id, "cabinet@tilleuls.example.fr") }));
            Assert.That(_log.Entries.Select(e => e.Message), Has.None.Contains("612345678"), "the caller's number is never logged");
        });
    }

    [Test]
    public async Task Import_WhileTheCallerIsStillBeingRecorded_WaitsForTheNextPass()
    {
        _asterisk.Stored[Name] = FakeRecordings.Wav(seconds: 2);
        _asterisk.AliveChannels.Add("1795000000.7");

        Assert.That(await _importer.ImportAsync(CancellationToken.None), Is.EqualTo(new FallbackImportReport(0, 0, 1, 0, 0)));
        Assert.That(await Messages(), Is.Empty);

        _asterisk.AliveChannels.Clear();
        Assert.That(await _importer.ImportAsync(CancellationToken.None), Is.EqualTo(new FallbackImportReport(1, 1, 0, 0, 0)));
    }

    [Test]
    public async Task Import_WhenTheStoreFailsHalfWay_LosesNothingAndTheNextPassImportsAndNotifiesOnce()
    {
        _asterisk.Stored[Name] = FakeRecordings.Wav(seconds: 5);
        Execute("CREATE TRIGGER fail_index BEFORE INSERT ON voicemails BEGIN SELECT RAISE(ABORT, 'injected: disk full'); END;");

        Assert.That(await _importer.ImportAsync(CancellationToken.None), Is.EqualTo(new FallbackImportReport(0, 0, 0, 0, 1)));
        Assert.That(_sender.Sent, Is.Empty, "not notified before it is stored");
        Assert.That(_asterisk.Deleted, Is.Empty, "the recording is kept");
        Assert.That(_log.At(LogLevel.Error), Has.One.Contains("import failed, retried at the next pass"));

        Execute("DROP TRIGGER fail_index;");
        Assert.That(await _importer.ImportAsync(CancellationToken.None), Is.EqualTo(new FallbackImportReport(1, 1, 0, 0, 0)));
        Assert.That(await Messages(), Has.Count.EqualTo(1));
        await _dispatcher.DrainAsync();
        Assert.That(_sender.Sent, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Import_OfAMessageIndexedButNeverNotified_NotifiesItWithoutIndexingItAgain()
    {
        _asterisk.Stored[Name] = FakeRecordings.Wav(seconds: 5);
        var message = FallbackMessage.TryParse(Name)!;
        await new VoicemailImportRepository(_db, TimeProvider.System).ImportAsync(Name, new VoicemailMessage(message.MessageId, "cabinet",
            "tilleuls", message.CallerNumber, message.RecordedAt, 5, Name, false, message.ChannelId));

        Assert.That(await _importer.ImportAsync(CancellationToken.None), Is.EqualTo(new FallbackImportReport(0, 1, 0, 0, 0)));
        Assert.That(await Messages(), Has.Count.EqualTo(1));
        await _dispatcher.DrainAsync();
        Assert.That(_sender.Sent, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Import_OfAnEmptyMessage_DeletesItsRecordingAndIndexesNothing()
    {
        _asterisk.Stored[Name] = FakeRecordings.Wav(seconds: 0);

        Assert.That(await _importer.ImportAsync(CancellationToken.None), Is.EqualTo(new FallbackImportReport(0, 0, 0, 1, 0)));
        Assert.That(_asterisk.Deleted, Is.EqualTo(new[] { Name }));
        Assert.That(await Messages(), Is.Empty);
        Assert.That(_sender.Sent, Is.Empty);
    }

    [Test]
    public async Task Import_OfARecordingNamedLikeNoMessage_LeavesItAndSaysSoOnce()
    {
        _asterisk.Stored["fallback~tilleuls~cabinet~not-a-time~1-2~"] = FakeRecordings.Wav(seconds: 5);

        await _importer.ImportAsync(CancellationToken.None);
        await _importer.ImportAsync(CancellationToken.None);

        Assert.That(_log.At(LogLevel.Error), Has.One.Contains("is not named as the fallback route names its messages"));
        Assert.That(_asterisk.Deleted, Is.Empty);
    }

    private Task<IReadOnlyList<VoicemailMessage>> Messages() => new VoicemailRepository(_db, TimeProvider.System).ListAsync("cabinet", includeListened: true);

    private void Execute(string sql)
    {
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

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
}
