using PbxRouter.Hosting;
using PbxRouter.IntegrationTests.Infrastructure;
using static PbxRouter.IntegrationTests.Phones.PhonesOut;

namespace PbxRouter.IntegrationTests.Phones;

/// <summary>
/// Emergency numbers from the practices' phones: out through the phone's practice's trunk, presenting the practice's number
/// (or the phone's line's), with the engine up and with it down (a dialplan path that never asks the engine).
/// </summary>
[TestFixture]
public sealed class PhoneEmergencyTests
{
    [Test]
    public async Task EngineUp_15And112_ReachTheCarrier_WithThePracticesNumber()
    {
        await using var asterisk = new AsteriskInstance();
        await asterisk.StartAsync();
        var phones = new PhonesOut(asterisk);
        await using var engine = await EngineUnderTest.StartAsync(asterisk, provision: true, time: new PinnedClock(DateTimeOffset.Parse("2026-11-24T10:00:00+01:00")));
        await engine.ApplyRulesAsync("phones-out-test.yaml", phones.Rules());

        foreach (var number in new[] { "15", "112" })
        {
            var invite = await InviteAtCarrierAsync(phones, Endpoint("tilleuls", "accueil-1"), number);
            AssertEmergencyInvite(invite, number, TilleulsNumber);
        }
        Assert.That(engine.Journal.Finished.Concat(engine.Journal.Active).Select(c => c.CalledNumber), Has.None.EqualTo("15").And.None.EqualTo("112"),
            "emergency calls never wait for the engine");
    }

    [Test]
    public async Task EngineDown_15And112_ReachTheCarrier_WithThePracticesNumber_OrThePhonesLine_ThroughThePhonesPractice()
    {
        await using var asterisk = new AsteriskInstance();
        await asterisk.StartAsync();
        var phones = new PhonesOut(asterisk);
        await using (var engine = await EngineUnderTest.StartAsync(asterisk, provision: true))
            await engine.ApplyRulesAsync("phones-out-test.yaml", phones.Rules());

        AssertEmergencyInvite(await InviteAtCarrierAsync(phones, Endpoint("tilleuls", "accueil-1"), "15"), "15", TilleulsNumber);
        AssertEmergencyInvite(await InviteAtCarrierAsync(phones, Endpoint("tilleuls", "dr-leroy"), "112"), "112", LeroyLineNumber);
        AssertEmergencyInvite(await InviteAtCarrierAsync(phones, Endpoint("val", "accueil"), "112", phones.PortB), "112", ValNumber);
        // The Lac's registration trunk is not in Asterisk (its password is not set): the default trunk takes the call.
        AssertEmergencyInvite(await InviteAtCarrierAsync(phones, Endpoint("lac", "accueil"), "15", asterisk.TrunkPort), "15", LacNumber);
    }

    private static async Task<string> InviteAtCarrierAsync(PhonesOut phones, string endpoint, string number, int? port = null)
    {
        var carrier = phones.Carrier(port);
        var phone = phones.Dial(endpoint, number);
        var results = await Sipp.AllSucceedAsync(phone, carrier);
        return results[1].Received("INVITE") ?? throw new AssertionException($"the carrier got no INVITE:\n{results[1].Messages}");
    }

    private static void AssertEmergencyInvite(string invite, string number, string presented)
    {
        Assert.That(invite, Does.StartWith($"INVITE sip:{number}@"), invite);
        Assert.That(invite, Does.Match($@"(?m)^From:[^\r\n]*sip:\{presented}@"), "the practice's number as caller ID");
    }
}
