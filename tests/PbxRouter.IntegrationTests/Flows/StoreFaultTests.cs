using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using PbxRouter.Store.Tests.Support;
using static PbxRouter.IntegrationTests.Flows.PracticeCalls;

namespace PbxRouter.IntegrationTests.Flows;

/// <summary>SQLite cannot take writes (locked by another writer, disk full) while patients call: the calls still reach a
/// reception phone, and nothing already stored is lost.</summary>
[TestFixture]
public sealed class StoreFaultTests : PracticeFixture
{
    [Test]
    public async Task Call_WhileAnotherWriterHoldsTheDatabase_IsAnsweredByAPhone_AndItsRecordIsWrittenOnceTheLockGoes()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var before = await AnsweredCallAsync(practice, "+33640000071");
        await using var other = new SqliteConnection($"Data Source={DatabaseOf(practice).Path};Pooling=False");
        await other.OpenAsync();
        Exec(other, "BEGIN EXCLUSIVE");

        var during = await AnsweredCallAsync(practice, "+33640000072", waitForRecord: false);
        var whileLocked = await Repository(practice).GetAsync(during.CallId);
        Exec(other, "ROLLBACK");
        var record = await practice.Engine.WaitForRecordAsync(during.CallId);

        Assert.Multiple(() =>
        {
            Assert.That(during.Outcome, Is.EqualTo(CallOutcomes.Answered), "the engine ended the call as answered while the database was locked");
            Assert.That(whileLocked, Is.Null, "nothing could be written meanwhile");
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Answered), Describe(record));
            Assert.That(record.AnsweredBy, Is.EqualTo("accueil-1"), Describe(record));
        });
        Assert.That((await Repository(practice).GetAsync(before.CallId))?.AnsweredBy, Is.EqualTo("accueil-1"), "the earlier record is intact");
    }

    [Test]
    public async Task Call_WhenTheDiskIsFull_IsAnsweredByAPhone_EarlierRecordsStay_AndItsRecordIsWrittenWhenSpaceIsBack()
    {
        using var disk = SmallDisk.Mount(megabytes: 16);
        await using (var practice = await PracticeCalls.StartAsync(Asterisk, Open, Path.Combine(disk.Path, "pbxrouter.db")))
        {
            var before = await AnsweredCallAsync(practice, "+33640000073");
            await TruncateWalAsync(DatabaseOf(practice)); // the next write must grow a file
            await disk.FillAsync();
            Assert.That(disk.FreeBytes, Is.Zero);

            var during = await AnsweredCallAsync(practice, "+33640000074", waitForRecord: false);
            var whileFull = await Repository(practice).GetAsync(during.CallId);
            var earlier = await Repository(practice).GetAsync(before.CallId);
            disk.Free();
            var record = await practice.Engine.WaitForRecordAsync(during.CallId);

            Assert.Multiple(() =>
            {
                Assert.That(during.Outcome, Is.EqualTo(CallOutcomes.Answered), "the engine ended the call as answered while the disk was full");
                Assert.That(whileFull, Is.Null, "nothing could be written meanwhile");
                Assert.That(earlier?.AnsweredBy, Is.EqualTo("accueil-1"), "the earlier record stayed readable on the full disk");
                Assert.That(record.AnsweredBy, Is.EqualTo("accueil-1"), "written by a retry once space was back: " + Describe(record));
            });
        }
    }

    /// <summary>A patient's call that a reception phone answers; returns the engine's view of it (and waits for its record).</summary>
    private static async Task<(string CallId, string? Outcome)> AnsweredCallAsync(PracticeCalls practice, string caller, bool waitForRecord = true)
    {
        var phone = await practice.PhoneAsync("accueil-1", "phone-answers.xml");
        // The patient is answered by the engine (queue music) before the phone picks up: 5 s leaves a loaded machine time to ring it.
        var patient = Sipp.Patient(practice.Asterisk, "patient-hangs-up.xml", PracticeNumber, caller, holdMs: 5000);
        await Sipp.AllSucceedAsync(patient, phone);
        var trace = await practice.Engine.WaitForCallAsync(c => c.CallerNumber == caller);
        if (waitForRecord) await practice.Engine.WaitForRecordAsync(trace.CallId);
        return (trace.CallId, trace.Outcome);
    }

    private static StoreDatabase DatabaseOf(PracticeCalls practice) => practice.Engine.Database;

    private static CallRecordRepository Repository(PracticeCalls practice) => new(DatabaseOf(practice), TimeProvider.System);

    private static async Task TruncateWalAsync(StoreDatabase db)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            await using var connection = db.Open();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await using var result = await command.ExecuteReaderAsync();
            await result.ReadAsync();
            if (result.GetInt64(0) == 0) return; // not busy: the WAL is empty now
            if (limit.IsCancellationRequested) Assert.Fail("the WAL could not be checkpointed");
            await Task.Delay(100);
        }
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
