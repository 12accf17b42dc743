using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using static PbxRouter.IntegrationTests.Flows.HostileInputs;

namespace PbxRouter.IntegrationTests;

/// <summary>
/// The same hostile caller IDs and called numbers with the engine down: the dialplan never breaks on them, every call
/// takes the fallback route to the remote secretariat, a caller ID that is not a number leaves as withheld, and only a
/// number goes into Diversion; a called string that is not a number is logged URI-encoded in Asterisk's log.
/// </summary>
[TestFixture]
public sealed class HostileInputFallbackTests
{
    private const string Secretariat = "+33567000000";
    private AsteriskInstance _asterisk = null!;

    [OneTimeSetUp]
    public async Task StartAsteriskWithoutEngineAsync()
    {
        _asterisk = new AsteriskInstance(fallbackNumber: Secretariat);
        await _asterisk.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsteriskAsync()
    {
        if (_asterisk is not null) await _asterisk.DisposeAsync();
    }

    [Test]
    public async Task WithheldCaller_WhenEngineDown_ReachesTheSecretariatAsAnonymous()
    {
        var secretariat = Sipp.Secretariat(_asterisk);
        var patient = Sipp.Patient(_asterisk, "patient-withheld.xml", "+33145000000", "+33630000052");

        var invite = await Sipp.InviteAtSecretariatAsync(patient, secretariat);

        WithheldCallerTests.AssertAnonymous(invite, "+33630000052");
        Assert.That(invite, Does.Match(@"(?m)^X-PbxRouter-Fallback: engine-unavailable"), "through the fallback route");
    }

    [TestCaseSource(typeof(HostileInputs), nameof(CallerIds))]
    public async Task HostileCallerId_WhenEngineDown_ReachesTheSecretariatShownOnlyAsANumber(CallerIdCase caller)
    {
        var secretariat = Sipp.Secretariat(_asterisk);
        var patient = Sipp.Caller(_asterisk, "patient-caller-id.xml", "+33145000000", caller.Keys, holdMs: 1000);

        var invite = await Sipp.InviteAtSecretariatAsync(patient, secretariat);

        AssertSafeInvite(invite, caller);
        Assert.That(invite, Does.Match(@"(?m)^X-PbxRouter-Fallback: engine-unavailable"), "through the fallback route");
    }

    [TestCaseSource(typeof(HostileInputs), nameof(CalledNumbers))]
    public async Task HostileCalledNumber_WhenEngineDown_ReachesTheSecretariatWithDiversionOnlyForANumber(CalledCase called)
    {
        var secretariat = Sipp.Secretariat(_asterisk);
        var keys = new Dictionary<string, string> { ["caller"] = "+33630000051" };
        var patient = Sipp.Caller(_asterisk, "patient-hangs-up.xml", called.RequestUser, keys, holdMs: 1000);

        var invite = await Sipp.InviteAtSecretariatAsync(patient, secretariat);

        Assert.That(invite, Does.StartWith($"INVITE sip:{Secretariat}@"));
        if (called.Practice)
        {
            Assert.That(invite, Does.Match(@"(?m)^Diversion: <sip:\+33145000000@"), "the practice's number in Diversion");
            return;
        }
        Assert.That(invite, Does.Not.Match("(?m)^Diversion:"), "not a number: no Diversion");
        var log = await File.ReadAllTextAsync(_asterisk.MessagesLog);
        var line = log.Split('\n').LastOrDefault(l => l.Contains("call from the trunk to", StringComparison.Ordinal));
        Assert.That(line, Does.Contain($"'{called.LoggedAs!.Split('…')[0]}").And.Contain("not a phone number"), "logged, URI-encoded, on one line");
        Assert.That(log, Does.Not.Contain("\nX-Forged"), "no forged line in Asterisk's log");
    }
}
