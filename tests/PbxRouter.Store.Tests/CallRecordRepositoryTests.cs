namespace PbxRouter.Store.Tests;

public sealed class CallRecordRepositoryTests : StoreTestBase
{
    private CallRecordRepository _calls = null!;

    [SetUp]
    public void CreateRepository() => _calls = new CallRecordRepository(Db, Time);

    internal static CallRecordStart Call(string id, DateTimeOffset at, string? practice = "cabinet-martin") =>
        new(id, at, practice, "+33140000000", "+33612345678", 3);

    [Test]
    public async Task Start_WithheldCaller_KeepsTheNumberAndTheMark()
    {
        await _calls.StartCallAsync(Call("c1", Start) with { CallerWithheld = true });
        await _calls.StartCallAsync(Call("c2", Start));

        Assert.That((await _calls.GetAsync("c1"))!.CallerWithheld, Is.True);
        Assert.That((await _calls.GetAsync("c1"))!.CallerNumber, Is.EqualTo("+33612345678"));
        Assert.That((await _calls.RecentAsync(10)).Select(c => c.CallerWithheld), Is.EquivalentTo(new[] { true, false }));
    }

    [Test]
    public async Task Start_HostileCallerAndCalledText_IsStoredAsGiven()
    {
        const string sql = "'; DROP TABLE call_records;--";
        await _calls.StartCallAsync(new CallRecordStart("c1", Start, null, "", sql + "\r\n\u001b[2J", 1));
        await _calls.AddStepAsync("c1", CallStepKinds.Entered, null, sql);

        var call = await _calls.GetAsync("c1");

        Assert.That(call!.CallerNumber, Is.EqualTo(sql + "\r\n\u001b[2J"), "SQL parameters: stored as text, nothing run");
        Assert.That(call.Steps.Single().Detail, Is.EqualTo(sql));
    }

    [Test]
    public async Task Get_UnknownCall_IsNull() =>
        Assert.That(await _calls.GetAsync("nope"), Is.Null);

    [Test]
    public async Task Call_StepsAndEnd_AreReadBackInOrderWithMilliseconds()
    {
        await _calls.StartCallAsync(Call("c1", Start));
        await _calls.AddStepAsync("c1", CallStepKinds.Entered, null, "opening hours");
        Time.Advance(TimeSpan.FromMilliseconds(250));
        await _calls.AddStepAsync("c1", CallStepKinds.Ringing, "PJSIP/secretariat", null);
        Time.Advance(TimeSpan.FromMilliseconds(250));
        await _calls.AddStepAsync("c1", CallStepKinds.Answered, "PJSIP/secretariat", null);
        Time.Advance(TimeSpan.FromSeconds(30));
        await _calls.EndCallAsync("c1", CallOutcomes.Answered, "PJSIP/secretariat", "caller");

        var call = await _calls.GetAsync("c1");

        Assert.That(call!.Steps, Is.EqualTo(new[]
        {
            new CallStep(1, Start, "entered", null, "opening hours"),
            new CallStep(2, Start.AddMilliseconds(250), "ringing", "PJSIP/secretariat", null),
            new CallStep(3, Start.AddMilliseconds(500), "answered", "PJSIP/secretariat", null),
        }));
        Assert.That((call.CallId, call.StartedAt, call.PracticeId, call.CalledNumber, call.CallerNumber, call.RulesVersion),
            Is.EqualTo(("c1", Start, (string?)"cabinet-martin", "+33140000000", (string?)"+33612345678", 3)));
        Assert.That((call.EndedAt, call.Outcome, call.AnsweredBy, call.HungUpBy),
            Is.EqualTo(((DateTimeOffset?)Start.AddSeconds(30.5), (string?)"answered", (string?)"PJSIP/secretariat", (string?)"caller")));
    }

    [Test]
    public async Task Start_DuplicateCallId_Throws()
    {
        await _calls.StartCallAsync(Call("c1", Start));
        var e = Assert.ThrowsAsync<StoreException>(() => _calls.StartCallAsync(Call("c1", Start)));
        Assert.That(e!.Message, Does.Contain("c1 already has a call record"));
    }

    [Test]
    public void StepOrEnd_ForUnknownCall_ThrowsCallRecordNotFound()
    {
        Assert.ThrowsAsync<CallRecordNotFoundException>(() => _calls.AddStepAsync("ghost", CallStepKinds.Entered, null, null));
        Assert.ThrowsAsync<CallRecordNotFoundException>(() => _calls.EndCallAsync("ghost", CallOutcomes.Abandoned, null, "caller"));
    }

    [Test]
    public void Step_UnknownKindOrOutcome_IsRejected()
    {
        Assert.ThrowsAsync<ArgumentException>(() => _calls.AddStepAsync("c1", "teleported", null, null));
        Assert.ThrowsAsync<ArgumentException>(() => _calls.EndCallAsync("c1", "maybe", null, null));
    }

    [Test]
    public async Task Recent_IsNewestFirstFilteredByPracticeWithSteps()
    {
        await _calls.StartCallAsync(Call("c1", Start, "p1"));
        await _calls.StartCallAsync(Call("c2", Start.AddMinutes(1), "p2"));
        await _calls.StartCallAsync(Call("c3", Start.AddMinutes(2), "p1"));
        await _calls.AddStepAsync("c1", CallStepKinds.Entered, null, null);
        await _calls.AddStepAsync("c1", CallStepKinds.Voicemail, "box-martin", null);

        var all = await _calls.RecentAsync(10);
        var p1 = await _calls.RecentAsync(10, "p1");
        var latest = await _calls.RecentAsync(1);

        Assert.That(all.Select(c => c.CallId), Is.EqualTo(new[] { "c3", "c2", "c1" }));
        Assert.That(p1.Select(c => c.CallId), Is.EqualTo(new[] { "c3", "c1" }));
        Assert.That(p1[1].Steps.Select(s => s.Kind), Is.EqualTo(new[] { "entered", "voicemail" }));
        Assert.That(latest.Select(c => c.CallId), Is.EqualTo(new[] { "c3" }));
    }

    [Test]
    public async Task Steps_FromConcurrentWriters_GetDistinctSequenceNumbers()
    {
        await _calls.StartCallAsync(Call("c1", Start));

        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ =>
            Task.Run(() => _calls.AddStepAsync("c1", CallStepKinds.Ringing, null, null))));

        var call = await _calls.GetAsync("c1");
        Assert.That(call!.Steps.Select(s => s.Sequence), Is.EqualTo(Enumerable.Range(1, 40)));
    }

    [Test]
    public async Task ConcurrentDirectWriters_8Tasks200CallsEach_LoseNothing()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await _calls.StartCallAsync(Call($"t{t}-c{i}", Start.AddMilliseconds(i)));
                await _calls.AddStepAsync($"t{t}-c{i}", CallStepKinds.Entered, null, null);
            }
        })));

        Assert.That(Count("call_records"), Is.EqualTo(1600));
        Assert.That(Count("call_steps"), Is.EqualTo(1600));
    }

    [Test]
    public async Task ForPractice_ThePeriodsCallsOfThatPracticeOnly_OldestFirstWithTheirSteps()
    {
        await _calls.StartCallAsync(Call("before", Start.AddMilliseconds(-1), "p1"));
        await _calls.StartCallAsync(Call("first", Start, "p1"));
        await _calls.StartCallAsync(Call("other-practice", Start.AddMinutes(1), "p2"));
        await _calls.StartCallAsync(Call("second", Start.AddMinutes(2), "p1"));
        await _calls.StartCallAsync(Call("at-end", Start.AddHours(1), "p1"));
        await _calls.StartCallAsync(Call("no-practice", Start.AddMinutes(3), null));
        Time.SetUtcNow(Start.AddMinutes(5));
        await _calls.AddStepAsync("second", CallStepKinds.Entered, "p1", "Open: open");
        await _calls.AddStepAsync("first", CallStepKinds.Entered, "p1", "Lunch: lunch");
        await _calls.AddStepAsync("other-practice", CallStepKinds.Entered, "p2", null);
        await _calls.AddStepAsync("second", CallStepKinds.Abandoned, null, "after 4 s");
        await _calls.EndCallAsync("second", CallOutcomes.Abandoned, null, "caller");

        var period = await _calls.ForPracticeAsync("p1", Start, Start.AddHours(1));

        Assert.That(period.Select(c => c.CallId), Is.EqualTo(new[] { "first", "second" }), "start inclusive, end exclusive");
        Assert.That(period[0].Steps.Select(s => s.Detail), Is.EqualTo(new[] { "Lunch: lunch" }));
        Assert.That(period[1].Steps.Select(s => (s.Sequence, s.Kind)), Is.EqualTo(new[] { (1, "entered"), (2, "abandoned") }));
        Assert.That(period[1].Outcome, Is.EqualTo(CallOutcomes.Abandoned));
        Assert.That(await _calls.ForPracticeAsync("p3", Start, Start.AddHours(1)), Is.Empty);
    }

    [Test]
    public async Task Purge_DeletesOldCallsWithTheirSteps()
    {
        await _calls.StartCallAsync(Call("old", Start.AddDays(-400)));
        await _calls.AddStepAsync("old", CallStepKinds.Entered, null, null);
        await _calls.StartCallAsync(Call("new", Start));

        var purged = await _calls.PurgeOlderThanAsync(Start.AddDays(-365));

        Assert.That(purged, Is.EqualTo(1));
        Assert.That((await _calls.RecentAsync(10)).Select(c => c.CallId), Is.EqualTo(new[] { "new" }));
        Assert.That(Count("call_steps"), Is.Zero);
    }
}
