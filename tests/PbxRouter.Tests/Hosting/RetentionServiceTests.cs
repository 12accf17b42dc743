using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Rules;
using PbxRouter.Hosting;
using PbxRouter.Routing;
using PbxRouter.Store;
using PbxRouter.Tests.Support;

namespace PbxRouter.Tests.Hosting;

/// <summary>The engine's daily retention job on a FakeTimeProvider: a pass once the rules are loaded, then one a day, never in between.</summary>
[TestFixture]
public sealed class RetentionServiceTests
{
    private const string Rules = VoicemailRules.Yaml;

    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-24T03:00:00Z");
    private string _folder = "";

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "pbxrouter-retention-svc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task FirstPassOnceTheRulesAreLoaded_ThenEveryDay_PurgingWhatIsDueThen()
    {
        var time = new FakeTimeProvider(Start);
        var db = new StoreDatabase(Path.Combine(_folder, "pbxrouter.db"), time);
        await db.MigrateAsync();
        var files = new VoicemailFiles(Path.Combine(_folder, "voicemail"));
        var audio = new FileVoicemailAudio(files, Path.Combine(_folder, "playback"), "/playback", null, time, NullLogger<FileVoicemailAudio>.Instance);
        var retention = new VoicemailRetention(new RetentionRepository(db, time), audio, new RetentionOptions(), time, NullLogger<VoicemailRetention>.Instance);
        var rules = new ActiveRules(new RulesRepository(db, time), NullLogger<ActiveRules>.Instance);
        await AddAsync(db, time, "eight-days", TimeSpan.FromDays(8));
        await AddAsync(db, time, "six-days-twelve-hours", TimeSpan.FromDays(6.5));
        using var service = new RetentionService(retention, rules, new RetentionOptions(), time, NullLogger<RetentionService>.Instance);
        var repository = new RetentionRepository(db, time);

        await service.StartAsync(CancellationToken.None);
        time.Advance(RetentionService.WaitForRules);
        Assert.That(service.Passes, Is.Zero, "no pass before the rules in force are known (keep_days)");
        Assert.That(await repository.AllMessagesAsync(), Has.Count.EqualTo(2));

        rules.Use(1, RulesCompiler.Compile("t.yaml", Rules).Rules!);
        await AdvanceUntilAsync(time, RetentionService.WaitForRules, () => service.Passes == 1);
        Assert.That((await repository.AllMessagesAsync()).Select(m => m.Id), Is.EqualTo(new[] { "six-days-twelve-hours" }), "the first pass");

        time.Advance(TimeSpan.FromHours(23));
        await Task.Yield();
        Assert.That(service.Passes, Is.EqualTo(1), "one pass a day");
        Assert.That(await repository.AllMessagesAsync(), Has.Count.EqualTo(1), "due since 12 hours, but not purged between passes");

        await AdvanceUntilAsync(time, TimeSpan.FromHours(1), () => service.Passes == 2);
        Assert.That(await repository.AllMessagesAsync(), Is.Empty, "the next day's pass");
        Assert.That((await new VoicemailRepository(db, time).AccessLogAsync("six-days-twelve-hours")).Single().By, Is.EqualTo(VoicemailRepository.RetentionActor));

        await service.StopAsync(CancellationToken.None);
    }

    private static async Task AddAsync(StoreDatabase db, TimeProvider time, string id, TimeSpan age)
    {
        var at = Start - age;
        var name = $"vm~tilleuls~cabinet~{at.ToUnixTimeSeconds()}~{id}~";
        await new VoicemailImportRepository(db, time).ImportAsync(name, new VoicemailMessage(id, "cabinet", "tilleuls", null, at, 5, name, false, null));
    }

    /// <summary>Advances the fake clock by <paramref name="step"/>, then lets the job run until <paramref name="done"/> (bounded by passes of the loop, not by time).</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, TimeSpan step, Func<bool> done)
    {
        time.Advance(step);
        for (var i = 0; i < 1000 && !done(); i++) await Task.Delay(10);
        Assert.That(done(), "the retention job ran");
    }
}
