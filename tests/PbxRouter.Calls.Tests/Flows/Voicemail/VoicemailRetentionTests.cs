using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Flows.Voicemail;

/// <summary>The retention purge, on a FakeTimeProvider: exactly what is older than its box's keep_days, audited; a dry run changes nothing.</summary>
[TestFixture]
public sealed class VoicemailRetentionTests
{
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
              - { id: cabinet, keep_days: 7 }
              - { id: urgences, urgent: true }
            routes:
              open: [overflow, { voicemail: cabinet }]
              closed: [{ announce: closed }, { voicemail: cabinet }]
        """;

    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-24T03:00:00Z");

    private string _folder = "";
    private StoreDatabase _db = null!;
    private FakeTimeProvider _time = null!;
    private VoicemailFiles _files = null!;
    private VoicemailRetention _retention = null!;
    private CompiledRules _rules = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "pbxrouter-retention-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _time = new FakeTimeProvider(Now);
        _db = new StoreDatabase(Path.Combine(_folder, "pbxrouter.db"), _time);
        await _db.MigrateAsync();
        _files = new VoicemailFiles(Path.Combine(_folder, "voicemail"));
        var audio = new FileVoicemailAudio(_files, Path.Combine(_folder, "playback"), "/playback", null, _time, NullLogger<FileVoicemailAudio>.Instance);
        _retention = new VoicemailRetention(new RetentionRepository(_db, _time), audio, new RetentionOptions { CallRecordDays = 365 }, _time,
            NullLogger<VoicemailRetention>.Instance);
        _rules = RulesCompiler.Compile("t.yaml", Rules).Rules!;
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<VoicemailMessage> MessageAsync(string id, string practice, string box, TimeSpan age)
    {
        var at = Now - age;
        var name = $"vm~{practice}~{box}~{at.ToUnixTimeSeconds()}~{id}~";
        var message = new VoicemailMessage(id, box, practice, null, at, 5, name, false, null);
        await new VoicemailImportRepository(_db, _time).ImportAsync(name, message);
        await _files.CopyInAsync(name, _ => Task.FromResult<Stream>(new MemoryStream([1, 2, 3])), CancellationToken.None);
        return message;
    }

    private Task<IReadOnlyList<string>> Ids() =>
        new RetentionRepository(_db, _time).AllMessagesAsync().ContinueWith(t => (IReadOnlyList<string>)t.Result.Select(m => m.Id).Order().ToList());

    [Test]
    public async Task Purge_ExactlyWhatIsOlderThanItsBoxsKeepDays_AudioAndRow_EachAuditedAsPurgedByRetention()
    {
        var second = TimeSpan.FromSeconds(1);
        var cabinetOld = await MessageAsync("cabinet-old", "tilleuls", "cabinet", TimeSpan.FromDays(7) + second);
        var cabinetKept = await MessageAsync("cabinet-kept", "tilleuls", "cabinet", TimeSpan.FromDays(7) - second);
        var urgentOld = await MessageAsync("urgent-old", "tilleuls", "urgences", TimeSpan.FromDays(30) + second);   // default 30 days
        var urgentKept = await MessageAsync("urgent-kept", "tilleuls", "urgences", TimeSpan.FromDays(30) - second);
        var goneOld = await MessageAsync("gone-old", "ancien", "cabinet", TimeSpan.FromDays(30) + second);          // box no longer in the rules: 30
        var goneKept = await MessageAsync("gone-kept", "ancien", "cabinet", TimeSpan.FromDays(8));                   // not that practice's 7 days

        var report = await _retention.RunAsync(_rules, dryRun: false, callRecords: false, CancellationToken.None);

        var log = new VoicemailRepository(_db, _time);
        Assert.Multiple(async () =>
        {
            Assert.That(report.Messages.Select(d => (d.Message.Id, d.KeepDays)),
                Is.EquivalentTo(new[] { ("cabinet-old", 7), ("urgent-old", 30), ("gone-old", 30) }));
            Assert.That(await Ids(), Is.EqualTo(new[] { "cabinet-kept", "gone-kept", "urgent-kept" }));
            foreach (var purged in new[] { cabinetOld, urgentOld, goneOld })
            {
                Assert.That(_files.Has(purged.RecordingName), Is.False, $"{purged.Id}: audio deleted");
                var access = (await log.AccessLogAsync(purged.Id)).Single();
                Assert.That((access.Action, access.By, access.At), Is.EqualTo(("purged", VoicemailRepository.RetentionActor, Now)), purged.Id);
            }
            foreach (var kept in new[] { cabinetKept, urgentKept, goneKept })
            {
                Assert.That(_files.Has(kept.RecordingName), kept.Id);
                Assert.That(await log.AccessLogAsync(kept.Id), Is.Empty, kept.Id);
            }
        });
    }

    [Test]
    public async Task DryRun_ListsWhatWouldGo_AndChangesNothing()
    {
        var old = await MessageAsync("cabinet-old", "tilleuls", "cabinet", TimeSpan.FromDays(8));
        await MessageAsync("cabinet-kept", "tilleuls", "cabinet", TimeSpan.FromDays(1));
        await StartedCallAsync("old-call", TimeSpan.FromDays(400), ended: true);

        var report = await _retention.RunAsync(_rules, dryRun: true, callRecords: true, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(report.DryRun);
            Assert.That(report.Messages.Select(d => d.Message.Id), Is.EqualTo(new[] { "cabinet-old" }));
            Assert.That(report.CallRecords, Is.EqualTo(1));
            Assert.That(await Ids(), Is.EqualTo(new[] { "cabinet-kept", "cabinet-old" }));
            Assert.That(_files.Has(old.RecordingName));
            Assert.That(await new VoicemailRepository(_db, _time).AccessLogAsync("cabinet-old"), Is.Empty);
            Assert.That(await new CallRecordRepository(_db, _time).GetAsync("old-call"), Is.Not.Null);
        });
    }

    [Test]
    public async Task Purge_TimePasses_TheSameMessageGoesOnceItsDayHasCome()
    {
        await MessageAsync("cabinet-1", "tilleuls", "cabinet", TimeSpan.FromDays(6));

        Assert.That((await _retention.RunAsync(_rules, false, false, CancellationToken.None)).Messages, Is.Empty);
        _time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1));
        Assert.That((await _retention.RunAsync(_rules, false, false, CancellationToken.None)).Messages, Is.Empty, "exactly 7 days old: kept");
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.That((await _retention.RunAsync(_rules, false, false, CancellationToken.None)).Messages.Select(d => d.Message.Id), Is.EqualTo(new[] { "cabinet-1" }));
    }

    [Test]
    public async Task CallRecords_OlderThanCallRecordDays_AreDeletedWithTheirSteps_ButNeverACallStillOpen()
    {
        await StartedCallAsync("old-ended", TimeSpan.FromDays(366), ended: true);
        await StartedCallAsync("old-open", TimeSpan.FromDays(366), ended: false);
        await StartedCallAsync("recent", TimeSpan.FromDays(364), ended: true);

        var report = await _retention.RunAsync(_rules, dryRun: false, callRecords: true, CancellationToken.None);

        var records = new CallRecordRepository(_db, _time);
        Assert.Multiple(async () =>
        {
            Assert.That(report.CallRecords, Is.EqualTo(1));
            Assert.That(await records.GetAsync("old-ended"), Is.Null);
            Assert.That(await records.GetAsync("old-open"), Is.Not.Null, "an open record belongs to a call an engine may take over");
            Assert.That(await records.GetAsync("recent"), Is.Not.Null);
        });
    }

    private async Task StartedCallAsync(string id, TimeSpan age, bool ended)
    {
        var records = new CallRecordRepository(_db, _time);
        await records.StartCallAsync(new CallRecordStart(id, Now - age, "tilleuls", "+33145000000", "+33612345678", 1));
        await records.AddStepAsync(id, "entered", null, "inbound");
        if (ended) await records.EndCallAsync(id, "answered", "accueil-1", "caller");
    }
}
