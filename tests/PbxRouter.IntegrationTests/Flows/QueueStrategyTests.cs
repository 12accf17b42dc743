using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Flows.PracticeCalls;
using static PbxRouter.IntegrationTests.Flows.QueueTests;

namespace PbxRouter.IntegrationTests.Flows;

/// <summary>Who rings and in which order: round robin, a member already on a call skipped, waiting for a busy member until max wait.</summary>
[TestFixture]
public sealed class QueueStrategyTests : PracticeFixture
{
    [Test]
    public async Task Calls_WithRoundRobin_RingOneMemberAtATimeStartingAfterTheLastOneRung()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var first = await practice.PhoneAsync("accueil-1", "phone-answers.xml");
        var callA = await Sipp.Patient(Asterisk, "patient-hangs-up.xml", RoundRobinLine, "+33650000001", holdMs: 1000).WaitAsync();
        Assert.That((await first.WaitAsync()).Succeeded && callA.Succeeded, callA.ToString());

        // The next call starts with accueil-2, which does not answer; then accueil-1 rings, alone, and answers.
        var second = await practice.PhoneAsync("accueil-2", "phone-rings.xml");
        var again = await practice.PhoneAsync("accueil-1", "phone-answers.xml");
        var callB = Sipp.Patient(Asterisk, "patient-hangs-up.xml", RoundRobinLine, "+33650000002", holdMs: 6000);
        var results = await Task.WhenAll(callB.WaitAsync(), second.WaitAsync(), again.WaitAsync());

        Assert.That(results.Where(r => !r.Succeeded), Is.Empty, string.Join("\n", results.Where(r => !r.Succeeded)));
        var a = await practice.RecordOfAsync("+33650000001");
        var b = await practice.RecordOfAsync("+33650000002");
        Assert.Multiple(() =>
        {
            Assert.That(a.Steps.Where(s => s.Kind == CallStepKinds.Ringing).Select(s => s.Target), Is.EqualTo(new[] { "accueil-1" }), Describe(a));
            Assert.That(a.AnsweredBy, Is.EqualTo("accueil-1"), Describe(a));
            var kinds = b.Steps.Where(s => s.Kind is CallStepKinds.Ringing or CallStepKinds.Unanswered or CallStepKinds.Answered)
                .Select(s => $"{s.Kind} {s.Target}").ToList();
            Assert.That(kinds, Is.EqualTo(new[] { "ringing accueil-2", "unanswered accueil-2", "ringing accueil-1", "answered accueil-1" }), Describe(b));
        });
    }

    [Test]
    public async Task Call_WithRoundRobin_CallerHangsUpWhileWaiting_StopsRingingAtOnce()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var phone = await practice.PhoneAsync("accueil-1", "phone-rings.xml");
        var call = await Sipp.Patient(Asterisk, "patient-hangs-up.xml", RoundRobinLine, "+33650000009", holdMs: 1500).WaitAsync();
        var rang = await phone.WaitAsync();

        Assert.That(call.Succeeded, call.ToString());
        Assert.That(rang.Succeeded, "the phone rang, then was cancelled: " + rang);
        var record = await practice.RecordOfAsync("+33650000009");
        Assert.Multiple(() =>
        {
            Assert.That(record.Outcome, Is.EqualTo("abandoned"), Describe(record));
            // Regression: a caller gone from the head of a round-robin queue once made the engine ring phones in a tight loop.
            Assert.That(record.Steps.Count(s => s.Kind == CallStepKinds.Ringing), Is.EqualTo(1), Describe(record));
        });
    }

    [Test]
    public async Task Call_WhenAMemberIsAlreadyOnACall_RingsOnlyTheFreeOne()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var busy = await practice.PhoneAsync("accueil-1", "phone-answers.xml");
        var ongoing = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, "+33650000003", holdMs: 12000);
        await WaitUntilAsync(() => practice.Engine.Journal.Active.Any(c => c.CallerNumber == "+33650000003" && c.Steps.Contains("connected to accueil-1")));
        var free = await practice.PhoneAsync("accueil-2", "phone-answers.xml");
        var next = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, "+33650000004", holdMs: 1000);

        var results = await Task.WhenAll(next.WaitAsync(), free.WaitAsync(), ongoing.WaitAsync(), busy.WaitAsync());

        Assert.That(results.Where(r => !r.Succeeded), Is.Empty, string.Join("\n", results.Where(r => !r.Succeeded)));
        var record = await practice.RecordOfAsync("+33650000004");
        Assert.Multiple(() =>
        {
            Assert.That(record.AnsweredBy, Is.EqualTo("accueil-2"), Describe(record));
            Assert.That(record.Steps.Where(s => s.Kind == CallStepKinds.Ringing).Select(s => s.Target), Is.EqualTo(new[] { "accueil-2" }), Describe(record));
        });
    }

    [Test]
    public async Task Call_WaitingForABusyMember_OverflowsWhenTheMaxWaitIsReached()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var busy = await practice.PhoneAsync("accueil-1", "phone-answers.xml");
        var ongoing = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, "+33650000005", holdMs: 15000);
        await WaitUntilAsync(() => practice.Engine.Journal.Active.Any(c => c.CallerNumber == "+33650000005" && c.Steps.Contains("connected to accueil-1")));
        var secretariat = Sipp.Secretariat(Asterisk);
        var waiting = Sipp.Patient(Asterisk, "patient-hangs-up.xml", BusyWaitLine, "+33650000006", holdMs: 7000);

        var results = await Task.WhenAll(waiting.WaitAsync(), secretariat.WaitAsync(), ongoing.WaitAsync(), busy.WaitAsync());

        Assert.That(results.Where(r => !r.Succeeded), Is.Empty, string.Join("\n", results.Where(r => !r.Succeeded)));
        AssertSecretariatInvite(results[1], "+33650000006", BusyWaitLine);
        var record = await practice.RecordOfAsync("+33650000006");
        Assert.Multiple(() =>
        {
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Overflowed), Describe(record));
            Assert.That(record.Steps.Any(s => s.Kind == CallStepKinds.Unanswered && s.Detail!.Contains("max wait")), Describe(record));
            Assert.That(record.Steps.Any(s => s.Kind == CallStepKinds.Ringing && s.Target == "accueil-1"), Is.False, "a busy member is not rung");
            Assert.That(record.Steps.Any(s => s.Kind == CallStepKinds.Announced && s.Detail == "position 1"), Describe(record));
        });
    }

    [Test]
    public async Task TwoPatientsWaiting_TwoFreePhones_BothRingAPhoneAtOnce_AndBothAreAnswered()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        // Each phone rings 2 s before it is picked up: long enough to see whether the second patient waits for the first.
        var phones = new[]
        {
            await practice.PhoneAsync("accueil-1", "phone-answers-after-ringing.xml"),
            await practice.PhoneAsync("accueil-2", "phone-answers-after-ringing.xml"),
        };
        // The second patient calls once the first one's call has started: both hear the greeting, then wait in the queue
        // together, the first one ahead. Each stays 4 s on the line after the queue answered them.
        var first = Sipp.Patient(Asterisk, "patient-hangs-up.xml", RoundRobinLine, "+33650000021", holdMs: 4000);
        await WaitUntilAsync(() => practice.Engine.Journal.Active.Any(c => c.CallerNumber == "+33650000021"));
        var second = Sipp.Patient(Asterisk, "patient-hangs-up.xml", RoundRobinLine, "+33650000022", holdMs: 4000);

        var results = await Task.WhenAll(first.WaitAsync(), second.WaitAsync(), phones[0].WaitAsync(), phones[1].WaitAsync());

        Assert.That(results.Where(r => !r.Succeeded), Is.Empty, string.Join("\n", results.Where(r => !r.Succeeded)));
        var a = await practice.RecordOfAsync("+33650000021");
        var b = await practice.RecordOfAsync("+33650000022");
        Assert.Multiple(() =>
        {
            Assert.That(a.Outcome, Is.EqualTo(CallOutcomes.Answered), Describe(a));
            Assert.That(b.Outcome, Is.EqualTo(CallOutcomes.Answered), Describe(b));
            Assert.That(new[] { a.AnsweredBy, b.AnsweredBy }, Is.EquivalentTo(new[] { "accueil-1", "accueil-2" }), "each patient got a phone of their own");
            Assert.That(a.Steps.Count(s => s.Kind == CallStepKinds.Ringing), Is.EqualTo(1), Describe(a));
            Assert.That(b.Steps.Count(s => s.Kind == CallStepKinds.Ringing), Is.EqualTo(1), Describe(b));
            // Second in line, the second patient rang the other phone while the first patient's phone still rang.
            var bRang = b.Steps.Single(s => s.Kind == CallStepKinds.Ringing).At;
            var aAnswered = a.Steps.Single(s => s.Kind == CallStepKinds.Answered).At;
            Assert.That(bRang, Is.LessThan(aAnswered), $"{Describe(a)}\n{Describe(b)}");
        });
    }
}
