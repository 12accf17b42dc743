using PbxRouter.Ari;
using PbxRouter.Watchdog;

namespace PbxRouter.Tests.Watchdog;

[TestFixture]
public sealed class StrandedCallsTests
{
    private static Channel InStasis(string id, string appData, string state = "Ring", string exten = "+33145000000", string caller = "+33612345678") => new()
    {
        Id = id,
        State = state,
        Caller = new CallerId { Number = caller },
        Dialplan = new DialplanCep { Context = "from-trunk-called", Exten = exten, Priority = 1, AppName = "Stasis", AppData = appData },
    };

    private static Bridge Bridge(string type, params string[] channels) => new() { Id = "b-" + string.Join("-", channels), BridgeType = type, Channels = channels };

    private static IReadOnlyList<StrandedCall> Triage(IReadOnlyList<Channel> channels, IReadOnlyList<Bridge>? bridges = null,
        IReadOnlySet<string>? seen = null, IReadOnlyList<string>? ids = null) =>
        StrandedCalls.Triage("pbxrouter", ids ?? [.. channels.Select(c => c.Id)], channels, bridges ?? [], "fallback", "fallback-phones",
            seen ?? new HashSet<string>());

    [Test]
    public void AWaitingCaller_ContinuesToTheFallbackAtTheCalledNumber()
    {
        var call = Triage([InStasis("c1", "pbxrouter,inbound,+33145000009,allowed_not_screened", exten: "+33145000009")]).Single();
        Assert.That(call, Is.EqualTo(new StrandedCall("c1", StrandedAction.Fallback, "inbound", "fallback", "+33145000009", "+33612345678")));
    }

    [Test]
    public void ACallerToSomethingThatIsNotANumber_ContinuesAtUnknown()
    {
        var call = Triage([InStasis("c1", "pbxrouter,inbound,,prohib,abc%2Cdef", exten: "unknown")]).Single();
        Assert.That((call.Action, call.Extension), Is.EqualTo((StrandedAction.Fallback, "unknown")));
    }

    [Test]
    public void APhone_ContinuesToThePhonesFallback()
    {
        var call = Triage([InStasis("p1", "pbxrouter,phone,*21", exten: "*21")]).Single();
        Assert.That((call.Action, call.Context, call.Extension), Is.EqualTo((StrandedAction.PhoneFallback, "fallback-phones", "*21")));
    }

    [Test]
    public void AChannelListedTwice_AsAsteriskDoesDuringATransfer_IsSortedOnce()
    {
        var caller = InStasis("c1", "pbxrouter,inbound,+33145000000,allowed");
        var calls = Triage([caller, caller], ids: ["c1"]);
        Assert.That(calls.Select(c => (c.ChannelId, c.Action)), Is.EqualTo(new[] { ("c1", StrandedAction.Fallback) }));
    }

    [Test]
    public void RingingLegs_AreHungUpBeforeTheirCallerMoves()
    {
        var calls = Triage(
        [
            InStasis("c1", "pbxrouter,inbound,+33145000000,allowed"),
            InStasis("c1-ring-1", "pbxrouter,leg", state: "Ringing", exten: "s"),
            InStasis("c1-mobile-1", "pbxrouter,leg,escalation", state: "Down", exten: "s"),
        ], [Bridge("mixing", "c1", "c1-ring-1")]);
        Assert.That(calls.Select(c => (c.ChannelId, c.Action)), Is.EqualTo(new[]
        {
            ("c1-ring-1", StrandedAction.HangUpLeg), ("c1-mobile-1", StrandedAction.HangUpLeg), ("c1", StrandedAction.Fallback),
        }));
    }

    [Test]
    public void AConversation_IsLeftAlone_ButCallersWaitingTogetherInAHoldingBridgeAreNot()
    {
        var calls = Triage(
        [
            InStasis("c1", "pbxrouter,inbound,+33145000000,allowed", state: "Up"),
            InStasis("c1-ring-1", "pbxrouter,leg", state: "Up", exten: "s"),
            InStasis("c2", "pbxrouter,inbound,+33145000000,allowed", state: "Up"),
            InStasis("c3", "pbxrouter,inbound,+33145000000,allowed", state: "Up"),
        ], [Bridge("mixing", "c1", "c1-ring-1"), Bridge("holding", "c2", "c3")]);
        Assert.That(calls.Select(c => (c.ChannelId, c.Action)), Is.EquivalentTo(new[]
        {
            ("c1", StrandedAction.LeaveConversation), ("c1-ring-1", StrandedAction.LeaveConversation),
            ("c2", StrandedAction.Fallback), ("c3", StrandedAction.Fallback),
        }));
    }

    [Test]
    public void ACallerLeftAloneAfterAConversation_IsHungUp()
    {
        var calls = Triage([InStasis("c1", "pbxrouter,inbound,+33145000000,allowed", state: "Up")], [Bridge("mixing", "c1")],
            seen: new HashSet<string> { "c1" });
        Assert.That(calls.Single().Action, Is.EqualTo(StrandedAction.HangUpAfterConversation));
    }

    [Test]
    public void ChannelsNotInStasisOfTheEngine_AreNeverTouched()
    {
        var inDialplan = InStasis("c1", "pbxrouter,inbound,+33145000000,allowed") with
        {
            Dialplan = new DialplanCep { Context = "fallback-route", Exten = "s", AppName = "Dial", AppData = "PJSIP/+33567000000@trunk,30" },
        };
        var otherApp = InStasis("c2", "pbxrouter-other,inbound,+33145000000,allowed");
        var calls = Triage([inDialplan, otherApp], ids: ["c1", "c2", "gone-already"]);
        Assert.That(calls, Is.Empty);
    }

    [Test]
    public void StasisArgs_AreThoseOfTheNamedApplicationOnly()
    {
        Assert.That(StrandedCalls.StasisArgs(InStasis("c", "pbxrouter,leg,escalation"), "pbxrouter"), Is.EqualTo(new[] { "leg", "escalation" }));
        Assert.That(StrandedCalls.StasisArgs(InStasis("c", "pbxrouter"), "pbxrouter"), Is.Empty);
        Assert.That(StrandedCalls.StasisArgs(InStasis("c", "pbxrouterx,leg"), "pbxrouter"), Is.Null);
    }
}
