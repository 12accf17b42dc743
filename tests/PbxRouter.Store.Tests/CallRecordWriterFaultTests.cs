using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using PbxRouter.Store.Tests.Support;

namespace PbxRouter.Store.Tests;

/// <summary>The call record writer when SQLite cannot write: locked by another writer, disk full, queue full.</summary>
public sealed class CallRecordWriterFaultTests : StoreTestBase
{
    [Test]
    public async Task LockedByAnotherWriter_WritesNeverBlockTheCall_AndAreStoredOnceTheLockGoes()
    {
        var log = new ListLogger();
        await using var writer = new CallRecordWriter(Db, TimeProvider.System, logger: log, retryDelay: TimeSpan.FromMilliseconds(100));
        await writer.StartCallAsync(CallRecordRepositoryTests.Call("before", Start));
        await writer.FlushAsync();
        await using var other = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        await other.OpenAsync();
        Exec(other, "BEGIN EXCLUSIVE");

        var writes = new[]
        {
            writer.StartCallAsync(CallRecordRepositoryTests.Call("during", Start)),
            writer.AddStepAsync("during", CallStepKinds.Entered, null, null),
            writer.EndCallAsync("during", CallOutcomes.Answered, "accueil-1", "caller"),
        };
        Assert.That(writes.Select(w => w.IsCompletedSuccessfully), Has.All.True, "enqueuing never waits for the database");
        await UntilAsync(() => log.Entries.Any(e => e.Level == LogLevel.Warning), "a retry of the locked write");
        Assert.That(await new CallRecordRepository(Db, Time).GetAsync("before"), Is.Not.Null, "earlier records stay readable meanwhile");
        Exec(other, "ROLLBACK");
        await writer.FlushAsync();

        var during = await new CallRecordRepository(Db, Time).GetAsync("during");
        Assert.That((during?.Outcome, during?.Steps.Count), Is.EqualTo((CallOutcomes.Answered, 1)));
        Assert.That(writer.FailedWrites, Is.Zero);
        Assert.That(log.Entries.First(e => e.Level == LogLevel.Warning).Message, Does.Contain("is locked").And.Contain("retry 1 of 6"));
    }

    [Test]
    public async Task DiskFull_TheBatchIsRetriedThenReported_EarlierRecordsStayAndLaterWritesWorkOnceSpaceIsBack()
    {
        using var disk = SmallDisk.Mount(megabytes: 8);
        var db = new StoreDatabase(Path.Combine(disk.Path, "pbxrouter.db"), Time);
        await db.MigrateAsync();
        var errors = new ConcurrentQueue<StoreException>();
        await using (var writer = new CallRecordWriter(db, TimeProvider.System, onError: errors.Enqueue, retryDelay: TimeSpan.FromMilliseconds(10)))
        {
            for (var i = 0; i < 20; i++) await writer.StartCallAsync(CallRecordRepositoryTests.Call($"before-{i}", Start.AddSeconds(i)));
            await writer.FlushAsync();
            await disk.FillAsync();
            Assert.That(disk.FreeBytes, Is.Zero);

            // Enough rows to outgrow the pages SQLite already has: the write needs new space.
            for (var i = 0; i < 3000; i++)
                await writer.AddStepAsync("before-0", CallStepKinds.Ringing, "accueil-1", new string('x', 200));
            await writer.FlushAsync();

            Assert.That(writer.FailedWrites, Is.GreaterThan(0), "some batches needed space the disk no longer had");
            Assert.That(errors.Select(e => e.Message), Has.All.Contain("call record writes were lost").And.All.Contain("the disk is full"));
            Assert.That(errors.Sum(e => int.Parse(e.Message.Split(' ')[0])), Is.EqualTo(writer.FailedWrites));
            var repository = new CallRecordRepository(db, Time);
            Assert.That((await repository.RecentAsync(100)).Select(c => c.CallId), Is.EquivalentTo(Enumerable.Range(0, 20).Select(i => $"before-{i}")),
                "nothing already stored is lost");
            disk.Free();
            await writer.StartCallAsync(CallRecordRepositoryTests.Call("after", Start.AddMinutes(1)));
            await writer.FlushAsync();
            Assert.That(await repository.GetAsync("after"), Is.Not.Null);
        }
        SqliteConnection.ClearAllPools();
    }

    [Test]
    public async Task QueueFull_WritesAreDroppedAndReportedOncePerInterval_NeverWaitedFor()
    {
        var errors = new ConcurrentQueue<StoreException>();
        await using var other = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        await other.OpenAsync();
        Exec(other, "BEGIN EXCLUSIVE"); // the writer's loop is stuck on its first batch: the queue fills up
        var writer = new CallRecordWriter(Db, Time, capacity: 10, onError: errors.Enqueue);

        var writes = Enumerable.Range(0, 500).Select(_ => writer.AddStepAsync("c1", CallStepKinds.Ringing, null, null)).ToList();

        Assert.That(writes.Select(w => w.IsCompletedSuccessfully), Has.All.True);
        // 10 wait in the queue; the loop's first batch took whatever was already posted when it started (1 to a few dozen,
        // depending on scheduling) before getting stuck on the lock: everything else was dropped, not waited for.
        Assert.That(writer.DroppedWrites, Is.InRange(400, 490), "bounded queue: the rest dropped");
        Assert.That(errors, Has.Count.EqualTo(1), "one report for the burst");
        Time.Advance(CallRecordWriter.DropReportInterval);
        for (var i = 0; i < 20; i++) await writer.AddStepAsync("c1", CallStepKinds.Ringing, null, null); // more than the queue holds
        Assert.That(errors, Has.Count.EqualTo(2), "the next burst, once the interval passed");
        Assert.That(errors.Last().Message, Does.Match(@"^\d+ call record writes dropped: 10 writes already wait"));
        Exec(other, "ROLLBACK");
        var stopped = writer.DisposeAsync().AsTask();
        while (!stopped.IsCompleted)
        {
            Time.Advance(TimeSpan.FromSeconds(1)); // the retry backoff runs on the fake clock
            await Task.Delay(10);
        }
    }

    [Test]
    public async Task AfterDispose_WritesAreDroppedAndReported_NotThrown()
    {
        var errors = new ConcurrentQueue<StoreException>();
        var writer = new CallRecordWriter(Db, Time, onError: errors.Enqueue);
        await writer.DisposeAsync();

        await writer.StartCallAsync(CallRecordRepositoryTests.Call("late", Start));

        Assert.That(writer.DroppedWrites, Is.EqualTo(1));
        Assert.That(errors.Single().Message, Does.Contain("writer is stopped"));
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            if (limit.IsCancellationRequested) Assert.Fail($"timed out waiting for: {what}");
            await Task.Delay(20);
        }
    }
}
