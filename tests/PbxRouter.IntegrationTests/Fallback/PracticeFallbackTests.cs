using PbxRouter.Hosting;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Fallback.TwoPractices;

namespace PbxRouter.IntegrationTests.Fallback;

/// <summary>
/// With the engine down, each practice's number goes to that practice's own remote secretariat, through its own trunk,
/// with its own number in Diversion and its own tags; a new rules version changes the route Asterisk takes.
/// </summary>
[TestFixture]
public sealed class PracticeFallbackTests
{
    [Test]
    public async Task EngineDown_TwoPracticesEachReachTheirOwnSecretariat_AndARulesApplyChangesTheNextCallsSecretariat()
    {
        await using var asterisk = new AsteriskInstance(fallbackNumber: "+33599999999");
        await asterisk.StartAsync();
        var practices = new TwoPractices(asterisk);
        var database = NewDatabasePath(asterisk);
        await practices.ApplyThenStopEngineAsync(database, "servitel");

        var tilleuls = await practices.InviteAtSecretariatAsync(TilleulsNumber, "+33630000101", practices.PortA);
        var val = await practices.InviteAtSecretariatAsync(ValNumber, "+33630000102", practices.PortB);
        Assert.Multiple(() =>
        {
            AssertFallbackInvite(tilleuls, "+33567000001", "+33630000101", TilleulsNumber, "tilleuls");
            AssertFallbackInvite(val, "+33567000002", "+33630000102", ValNumber, "val");
        });

        await practices.ApplyThenStopEngineAsync(database, "medicall");

        // The trunk sends the number in national format this time: the same practice's route.
        var changed = await practices.InviteAtSecretariatAsync("0145000000", "+33630000103", practices.PortA);
        var valAgain = await practices.InviteAtSecretariatAsync(ValNumber, "+33630000104", practices.PortB);
        Assert.Multiple(() =>
        {
            AssertFallbackInvite(changed, "+33567000003", "+33630000103", TilleulsNumber, "tilleuls-medicall");
            AssertFallbackInvite(valAgain, "+33567000002", "+33630000104", ValNumber, "val");
        });
    }

    [Test]
    public async Task EngineDown_APracticesBlockedCaller_IsStillRefused_AndNoSecretariatRings()
    {
        await using var asterisk = new AsteriskInstance(fallbackNumber: "+33599999999");
        await asterisk.StartAsync();
        var practices = new TwoPractices(asterisk);
        await practices.ApplyThenStopEngineAsync(NewDatabasePath(asterisk), "servitel");

        // The trunk sends the blocked number in national format: the same caller.
        var refused = (await Sipp.AllSucceedAsync(Sipp.Patient(asterisk, "patient-refused.xml", TilleulsNumber, "0666666666")))[0];
        var allowed = await practices.InviteAtSecretariatAsync(TilleulsNumber, "+33630000109", practices.PortA);

        Assert.That(refused.Messages, Does.Contain("SIP/2.0 403"), "refused by the practice's fallback route as the engine would");
        AssertFallbackInvite(allowed, "+33567000001", "+33630000109", TilleulsNumber, "tilleuls");
    }

    [Test]
    public async Task EngineDown_AWithheldCallerStaysWithheldOnAPracticesRoute_AndANumberThatIsNoPracticesKeepsTheGenericRoute()
    {
        await using var asterisk = new AsteriskInstance(fallbackNumber: "+33599999999");
        await asterisk.StartAsync();
        var practices = new TwoPractices(asterisk);
        await practices.ApplyThenStopEngineAsync(NewDatabasePath(asterisk), "servitel");

        var withheld = await Sipp.InviteAtSecretariatAsync(Sipp.Patient(asterisk, "patient-withheld.xml", ValNumber, "+33630000108"),
            Sipp.Secretariat(asterisk, port: practices.PortB));
        var generic = await practices.InviteAtSecretariatAsync("+33199999999", "+33630000105", asterisk.TrunkPort);

        Assert.That(withheld, Does.StartWith("INVITE sip:+33567000002@"), "the Val's own secretariat");
        Flows.WithheldCallerTests.AssertAnonymous(withheld, "+33630000108");
        Assert.That(withheld, Does.Match(@"(?m)^Diversion: <sip:\+33472000000@"));
        Assert.That(generic, Does.StartWith("INVITE sip:+33599999999@"), "PBX_FALLBACK_NUMBER through the static trunk");
        Assert.That(generic, Does.Match(@"(?m)^Diversion: <sip:\+33199999999@"));
        Assert.That(generic, Does.Not.Match("(?m)^X-Practice:"), "no practice's tags");
    }

    [Test]
    public async Task EngineUp_APlanThatRunsOutOfSteps_TakesTheLinesOwnFallbackRoute()
    {
        await using var asterisk = new AsteriskInstance(fallbackNumber: "+33599999999");
        await asterisk.StartAsync();
        var practices = new TwoPractices(asterisk);
        await using var engine = await EngineUnderTest.StartAsync(asterisk, NewDatabasePath(asterisk), time: new PinnedClock(DateTimeOffset.Parse("2026-11-24T10:00:00+01:00")),
            provision: true);
        await engine.ApplyRulesAsync("two-practices-test.yaml", practices.Rules("servitel"));

        // The engine answers and plays the announcement (about 5 s): the patient stays on until the secretariat answers.
        var invite = await practices.InviteAtSecretariatAsync("+33145000099", "+33630000107", practices.PortA, holdMs: 12000);

        AssertFallbackInvite(invite, "+33567000001", "+33630000107", "+33145000099", "tilleuls");
        var record = await engine.WaitForRecordAsync((await engine.WaitForCallAsync(c => c.CallerNumber == "+33630000107")).CallId);
        Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Fallback));
        Assert.That(record.Steps.Select(s => s.Kind), Does.Contain(CallStepKinds.Announced).And.Contain(CallStepKinds.Fallback));
    }

    [Test]
    public async Task EngineWithoutRules_SendsTheCallToTheFallbackRouteInsteadOfHangingUp()
    {
        await using var asterisk = new AsteriskInstance(fallbackNumber: "+33599999999");
        await asterisk.StartAsync();
        await using var engine = await EngineUnderTest.StartAsync(asterisk);

        var invite = await new TwoPractices(asterisk).InviteAtSecretariatAsync(TilleulsNumber, "+33630000106", asterisk.TrunkPort);

        Assert.That(invite, Does.StartWith("INVITE sip:+33599999999@"), invite);
        Assert.That(invite, Does.Match(@"(?m)^Diversion: <sip:\+33145000000@"));
        var call = await engine.WaitForCallAsync(c => c.CallerNumber == "+33630000106");
        Assert.That(call.Outcome, Is.EqualTo("fallback"));
        Assert.That(call.Steps, Does.Contain("no rules: fallback"));
    }

    private static void AssertFallbackInvite(string invite, string secretariat, string patient, string practice, string tag)
    {
        Assert.That(invite, Does.StartWith($"INVITE sip:{secretariat}@"), invite);
        Assert.That(invite, Does.Match($@"(?m)^From:.*sip:\{patient}@"), "the patient's number presented");
        Assert.That(invite, Does.Match($@"(?m)^Diversion: <sip:\{practice}@[^>]*>;reason=unavailable"), "the practice's number in Diversion");
        Assert.That(invite, Does.Match($"(?m)^X-Practice: {tag}\r?$"), "the secretariat's tag");
        Assert.That(invite, Does.Match(@"(?m)^X-PbxRouter-Fallback: engine-unavailable"), "through the fallback route");
    }
}
