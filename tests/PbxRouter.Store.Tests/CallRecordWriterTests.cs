using System.Collections.Concurrent;

namespace PbxRouter.Store.Tests;

public sealed class CallRecordWriterTests : StoreTestBase
{
    private CallRecordRepository _calls = null!;

    [SetUp]
    public void CreateRepository() => _calls = new CallRecordRepository(Db, Time);

    [Test]
    public async Task Flush_WritesQueuedCallStepsInOrder()
    {
        await using var writer = new CallRecordWriter(Db, Time);
        await writer.StartCallAsync(CallRecordRepositoryTests.Call("c1", Start));
        await writer.AddStepAsync("c1", CallStepKinds.Entered, null, null);
        Time.Advance(TimeSpan.FromMilliseconds(7));
        await writer.AddStepAsync("c1", CallStepKinds.Queued, "secretariat", null);
        await writer.EndCallAsync("c1", CallOutcomes.Abandoned, null, "caller");

        await writer.FlushAsync();

        var call = await _calls.GetAsync("c1");
        Assert.That(call!.Steps.Select(s => (s.Sequence, s.Kind, s.At)),
            Is.EqualTo(new[] { (1, "entered", Start), (2, "queued", Start.AddMilliseconds(7)) }));
        Assert.That(call.Outcome, Is.EqualTo("abandoned"));
        Assert.That(call.EndedAt, Is.EqualTo(Start.AddMilliseconds(7)));
    }

    [Test]
    public async Task ConcurrentWriters_8Tasks200CallsEach_LoseNothing()
    {
        var writer = new CallRecordWriter(Db, Time);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                var id = $"t{t}-c{i}";
                await writer.StartCallAsync(CallRecordRepositoryTests.Call(id, Start.AddMilliseconds(i)));
                await writer.AddStepAsync(id, CallStepKinds.Entered, null, null);
                await writer.AddStepAsync(id, CallStepKinds.Answered, "PJSIP/101", null);
                await writer.EndCallAsync(id, CallOutcomes.Answered, "PJSIP/101", "callee");
            }
        })));
        await writer.DisposeAsync(); // graceful shutdown drains the queue

        Assert.That(writer.FailedWrites, Is.Zero);
        Assert.That(Count("call_records"), Is.EqualTo(1600));
        Assert.That(Count("call_steps"), Is.EqualTo(3200));
        var sample = await _calls.GetAsync("t5-c199");
        Assert.That(sample!.Steps.Select(s => s.Kind), Is.EqualTo(new[] { "entered", "answered" }));
        Assert.That(sample.Outcome, Is.EqualTo("answered"));
    }

    [Test]
    public async Task RepositoryAndWriter_TogetherOnOneCall_KeepSequenceUnique()
    {
        await using var writer = new CallRecordWriter(Db, Time);
        await _calls.StartCallAsync(CallRecordRepositoryTests.Call("c1", Start));

        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 50; i++) await writer.AddStepAsync("c1", CallStepKinds.Ringing, null, null); }),
            Task.Run(async () => { for (var i = 0; i < 50; i++) await _calls.AddStepAsync("c1", CallStepKinds.Ringing, null, null); }));
        await writer.FlushAsync();

        Assert.That((await _calls.GetAsync("c1"))!.Steps.Select(s => s.Sequence), Is.EqualTo(Enumerable.Range(1, 100)));
    }

    [Test]
    public async Task StepForUnknownCall_IsReportedAndDoesNotBreakTheBatch()
    {
        var errors = new ConcurrentBag<StoreException>();
        await using var writer = new CallRecordWriter(Db, Time, onError: errors.Add);
        await writer.AddStepAsync("ghost", CallStepKinds.Entered, null, null);
        await writer.StartCallAsync(CallRecordRepositoryTests.Call("c1", Start));
        await writer.AddStepAsync("c1", CallStepKinds.Entered, null, null);

        await writer.FlushAsync();

        Assert.That(errors.Select(e => e.GetType()), Is.EqualTo(new[] { typeof(CallRecordNotFoundException) }));
        Assert.That(writer.FailedWrites, Is.EqualTo(1));
        Assert.That((await _calls.GetAsync("c1"))!.Steps, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task UnknownKind_IsRejectedAtEnqueue()
    {
        await using var writer = new CallRecordWriter(Db, Time);
        Assert.ThrowsAsync<ArgumentException>(async () => await writer.AddStepAsync("c1", "teleported", null, null));
    }
}
