using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Flows.HostileInputs;
using static PbxRouter.IntegrationTests.Flows.PracticeCalls;

namespace PbxRouter.IntegrationTests.Flows;

/// <summary>
/// Hostile called numbers from the trunk with the engine up. What PJSIP turns into the practice's number is served;
/// anything else reaches the engine as "not a number" (never split into Stasis() arguments) and gets the unknown-number
/// refusal (announcement, then 404) with a call record naming what was dialled, URI-encoded.
/// </summary>
[TestFixture]
public sealed class HostileCalledNumberTests : PracticeFixture
{
    [TestCaseSource(typeof(HostileInputs), nameof(CalledNumbers))]
    public async Task HostileCalledNumber_WithTheEngineUp_IsServedOrRefusedAsAnUnknownNumber(CalledCase called)
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Lunch);
        var caller = "+33630000041";
        var keys = new Dictionary<string, string> { ["caller"] = caller };
        var secretariat = called.Practice ? Sipp.Secretariat(Asterisk) : null;
        var patient = Sipp.Caller(Asterisk, called.Practice ? "patient-hangs-up.xml" : "patient-refused.xml", called.RequestUser, keys, holdMs: 1500);

        if (secretariat is not null) await Sipp.AllSucceedAsync(patient, secretariat);
        else
        {
            var result = (await Sipp.AllSucceedAsync(patient))[0];
            Assert.That(result.Messages, Does.Contain("SIP/2.0 404"), "refused as an unknown number");
        }

        var record = await practice.RecordOfAsync(caller);
        Assert.Multiple(() =>
        {
            if (called.Practice)
            {
                Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Overflowed), Describe(record));
                Assert.That(record.CalledNumber, Is.EqualTo(PracticeNumber));
                return;
            }
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Refused), Describe(record));
            Assert.That(record.CalledNumber, Is.Empty, "not a number: nothing of it reached Stasis() as an argument");
            Assert.That(record.PracticeId, Is.Null, "a ',' did not smuggle the practice's number in");
            Assert.That(record.Steps.Select(s => s.Kind), Is.EqualTo(new[] { CallStepKinds.Entered, CallStepKinds.Refused }), Describe(record));
            Assert.That(record.Steps[0].Detail, Does.Contain($"'{called.LoggedAs}"), Describe(record));
        });
    }
}
