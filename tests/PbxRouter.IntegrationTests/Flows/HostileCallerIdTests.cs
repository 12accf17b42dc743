using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Flows.HostileInputs;
using static PbxRouter.IntegrationTests.Flows.PracticeCalls;

namespace PbxRouter.IntegrationTests.Flows;

/// <summary>
/// Hostile caller IDs from the trunk with the engine up, at lunch (greeting, then the remote secretariat): the patient is
/// served like any other, the record stores the caller ID as Asterisk gave it, and the secretariat sees the number only
/// when it is a phone number (otherwise From is anonymous), with no header injected.
/// </summary>
[TestFixture]
public sealed class HostileCallerIdTests : PracticeFixture
{
    [TestCaseSource(typeof(HostileInputs), nameof(CallerIds))]
    public async Task HostileCallerId_AtLunch_IsServedAndShownToTheSecretariatOnlyAsANumber(CallerIdCase caller)
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Lunch);
        var secretariat = Sipp.Secretariat(Asterisk);
        var patient = Sipp.Caller(Asterisk, "patient-caller-id.xml", PracticeNumber, caller.Keys, holdMs: 1500);

        var invite = await Sipp.InviteAtSecretariatAsync(patient, secretariat);

        AssertSafeInvite(invite, caller);
        var record = await practice.OnlyRecordAsync();
        var records = await new CallRecordRepository(practice.Engine.Database, TimeProvider.System).RecentAsync(10);
        Assert.Multiple(() =>
        {
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Overflowed), Describe(record));
            Assert.That(records, Has.Count.EqualTo(1), "the call_records table is still there, with this call");
            Assert.That(record.Steps[0].Detail, caller.Presented ? Does.Not.Contain("not shown onward") : Does.Contain("not shown onward"), Describe(record));
        });
    }
}
