using PbxRouter.Hosting;
using PbxRouter.Store;

namespace PbxRouter.Tests.Hosting;

/// <summary>How the next engine closes the record of a call that ended while no engine ran, from its last steps.</summary>
[TestFixture]
public sealed class InterruptedCallsTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-24T09:00:00Z");

    private static CallStep Step(int n, string kind, string? target = null, string? detail = null) => new(n, At.AddSeconds(n), kind, target, detail);

    [Test]
    public void EndOf_AConversationThatHadStarted_IsAnsweredByWhoTookIt()
    {
        var end = InterruptedCalls.EndOf([Step(1, CallStepKinds.Entered), Step(2, CallStepKinds.Queued, "tilleuls"),
            Step(3, CallStepKinds.Ringing, "accueil-1"), Step(4, CallStepKinds.Answered, "accueil-1"), Step(5, CallStepKinds.Dropped, "dtmf")]);
        Assert.That((end.Outcome, end.AnsweredBy), Is.EqualTo((CallOutcomes.Answered, "accueil-1")));
    }

    [Test]
    public void EndOf_AnOverflowThatHadBeenAnswered_IsOverflowed()
    {
        var end = InterruptedCalls.EndOf([Step(1, CallStepKinds.Entered), Step(2, CallStepKinds.Overflowed, "servitel"), Step(3, CallStepKinds.Resumed)]);
        Assert.That((end.Outcome, end.AnsweredBy), Is.EqualTo((CallOutcomes.Overflowed, "servitel")));
    }

    [Test]
    public void EndOf_AMessageBeingRecorded_IsVoicemail()
    {
        var end = InterruptedCalls.EndOf([Step(1, CallStepKinds.Entered), Step(2, CallStepKinds.Announced, "closed"), Step(3, CallStepKinds.Voicemail, null, "recording")]);
        Assert.That(end.Outcome, Is.EqualTo(CallOutcomes.Voicemail));
    }

    [Test]
    public void EndOf_ARefusal_IsRefused()
    {
        var end = InterruptedCalls.EndOf([Step(1, CallStepKinds.Entered), Step(2, CallStepKinds.Refused, null, "SIP 403: blocked caller")]);
        Assert.That(end.Outcome, Is.EqualTo(CallOutcomes.Refused));
    }

    [Test]
    public void EndOf_ACallerStillWaiting_IsInterrupted()
    {
        var end = InterruptedCalls.EndOf([Step(1, CallStepKinds.Entered), Step(2, CallStepKinds.Queued, "tilleuls"),
            Step(3, CallStepKinds.Unanswered, "accueil-1")]);
        Assert.That((end.Outcome, end.AnsweredBy), Is.EqualTo((CallOutcomes.Interrupted, (string?)null)));
    }
}
