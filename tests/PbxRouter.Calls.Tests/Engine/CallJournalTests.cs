using PbxRouter.Calls.Engine;

namespace PbxRouter.Calls.Tests.Engine;

[TestFixture]
public sealed class CallJournalTests
{
    [Test]
    public void Saw_ADtmfFloodOfTenThousandEvents_KeepsAtMostMaxEntriesAndCountsTheRest()
    {
        var trace = new CallJournal(new EngineOptions()).Start("c1", "+33145000000", "+33612345678", DateTimeOffset.UnixEpoch);

        for (var i = 0; i < 10_000; i++) trace.Saw("ChannelDtmfReceived");
        trace.Step("entered (inbound)");

        Assert.Multiple(() =>
        {
            Assert.That(trace.Events, Has.Count.EqualTo(CallTrace.MaxEntries));
            Assert.That(trace.Steps, Is.EqualTo(new[] { "entered (inbound)" }), "steps have their own room");
            Assert.That(trace.Omitted, Is.EqualTo(10_000 - CallTrace.MaxEntries));
        });
    }
}
