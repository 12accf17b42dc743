using PbxRouter.IntegrationTests.Infrastructure;

namespace PbxRouter.IntegrationTests;

/// <summary>
/// No call is lost while the engine is away: the dialplan's fallback route (Stasis FAILED)
/// sends the patient to the remote secretariat, or to a voicemail when none is configured.
/// </summary>
[TestFixture]
public sealed class FallbackRouteTests
{
    private const string Secretariat = "+33567000000";

    [Test]
    public async Task Call_WhenEngineNotRunning_GoesToTheSecretariatWithPatientAndPracticeNumbers()
    {
        await using var asterisk = new AsteriskInstance(fallbackNumber: Secretariat);
        await asterisk.StartAsync();

        var secretariat = Sipp.Secretariat(asterisk);
        var patient = Sipp.Patient(asterisk, "patient-hangs-up.xml", "+33145000000", "+33612345678", holdMs: 1500);
        var invite = await Sipp.InviteAtSecretariatAsync(patient, secretariat);
        Assert.Multiple(() =>
        {
            Assert.That(invite, Does.StartWith($"INVITE sip:{Secretariat}@"));
            Assert.That(invite, Does.Match(@"(?m)^From:.*sip:\+33612345678@"), "patient's number presented");
            Assert.That(invite, Does.Match(@"(?m)^Diversion:.*\+33145000000"), "practice's number in Diversion");
            Assert.That(invite, Does.Match(@"(?m)^X-PbxRouter-Fallback: engine-unavailable"));
        });
    }

    [Test]
    public async Task Call_WhenEngineNotRunningAndNoSecretariat_LeavesAVoicemail()
    {
        await using var asterisk = new AsteriskInstance();
        await asterisk.StartAsync();

        var patient = Sipp.Patient(asterisk, "patient-leaves-message.xml", "+33145000000", "+33611112222", holdMs: 12000);
        var result = await patient.WaitAsync();

        Assert.That(result.Succeeded, result.ToString());
        var count = await asterisk.CliAsync("voicemail show users");
        Assert.That(count.Output, Does.Match(@"fallback\s.*\s1\s*$").Or.Match(@"(?m)^pbxrouter\s+fallback.*\s1\s*$"), count.Output);
    }
}
