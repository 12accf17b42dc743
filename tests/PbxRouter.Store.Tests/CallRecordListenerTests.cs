namespace PbxRouter.Store.Tests;

/// <summary>The writer tells its listener (live call events) each write as it is queued, in order, stamped as stored.</summary>
public sealed class CallRecordListenerTests : StoreTestBase
{
    private sealed class Recorder : ICallRecordListener
    {
        public List<string> Seen { get; } = [];
        public void Started(CallRecordStart start, bool resumed) => Seen.Add($"{(resumed ? "resumed" : "started")} {start.CallId} {start.PracticeId}");
        public void Step(string callId, DateTimeOffset at, string kind, string? target, string? detail) => Seen.Add($"{kind} {target} {at:HH:mm:ss.fff}");
        public void Ended(string callId, DateTimeOffset at, string outcome, string? answeredBy, string? hungUpBy) => Seen.Add($"ended {outcome} {answeredBy} {hungUpBy} {at:HH:mm:ss.fff}");
    }

    [Test]
    public async Task The_listener_sees_start_steps_and_end_in_order_with_the_stored_stamps()
    {
        var recorder = new Recorder();
        await using var writer = new CallRecordWriter(Db, Time) { Listener = recorder };
        await writer.StartCallAsync(CallRecordRepositoryTests.Call("c1", Start));
        await writer.AddStepAsync("c1", CallStepKinds.Ringing, "accueil-1", "tilleuls");
        Time.Advance(TimeSpan.FromMilliseconds(1500));
        await writer.AddStepAsync("c1", CallStepKinds.Answered, "accueil-1", "tilleuls");
        await writer.EndCallAsync("c1", CallOutcomes.Answered, "accueil-1", "caller");
        await writer.ResumeCallAsync(CallRecordRepositoryTests.Call("c2", Start));
        await writer.FlushAsync();

        var stored = await new CallRecordRepository(Db, Time).GetAsync("c1");
        var practice = stored!.PracticeId;
        Assert.That(recorder.Seen, Is.EqualTo(new[]
        {
            $"started c1 {practice}", $"ringing accueil-1 {Start:HH:mm:ss.fff}", $"answered accueil-1 {Start.AddMilliseconds(1500):HH:mm:ss.fff}",
            $"ended answered accueil-1 caller {Start.AddMilliseconds(1500):HH:mm:ss.fff}", $"resumed c2 {practice}",
        }));
        Assert.That(stored.Steps.Select(s => s.At), Is.EqualTo(new[] { Start, Start.AddMilliseconds(1500) }), "the listener's stamps are the stored ones");
    }
}
