using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Flows.Pickup;
using PbxRouter.Calls.Flows.Reception;
using PbxRouter.Calls.Phones;
using PbxRouter.Calls.Rules;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Phones;

/// <summary>The phone's side of call pickup: Dr Martin's desk phone of the Tilleuls (samples/rules/tilleuls.yaml) dials *8.</summary>
[TestFixture]
public sealed class CallPickupTests
{
    private static readonly DateTimeOffset Nine = DateTimeOffset.Parse("2026-11-24T09:00:00Z");
    private readonly TempStore _store = new();
    private ActiveRules _rules = null!;

    [SetUp]
    public void UseRules()
    {
        _rules = new ActiveRules(new RulesRepository(_store.Db, TimeProvider.System), NullLogger<ActiveRules>.Instance);
        _rules.Use(1, PhoneTestCall.Tilleuls);
    }

    [OneTimeTearDown]
    public async Task DropStoreAsync() => await _store.DisposeAsync();

    [Test]
    public async Task NothingRings_TheMessageIsPlayed_ThenThePhoneIsHungUp()
    {
        await using var t = new PhoneTestCall("dr-martin", PickupDecision.Code);

        await t.Time.RunAsync(Handler(new QueueBoard(t.Time)).HandleAsync(t.Call, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(t.Fake.Matching("^POST channels/phone-1/play/.*media=sound:pbxrouter/interception-aucun"), Has.Count.EqualTo(1), "never silence");
            Assert.That(t.Fake.Matching("^POST channels/phone-1/answer"), Is.Empty, "the message as early media");
            Assert.That(t.Fake.Matching(@"^DELETE channels/phone-1\?reason=rejected"), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task AnotherPracticesRingingCall_IsNeverTaken()
    {
        await using var t = new PhoneTestCall("dr-martin", PickupDecision.Code);
        var board = new QueueBoard(t.Time);
        var offered = new List<AriEvent>();
        using var val = board.Ringing.Open(new RingingCall("val-patient", "val", ["accueil"], Nine), offered.Add);

        await t.Time.RunAsync(Handler(board).HandleAsync(t.Call, CancellationToken.None));

        Assert.That(offered, Is.Empty, "the Val's call was not even asked");
        Assert.That(t.Fake.Matching("interception-aucun"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task TheLongestWaitingPatientOfThePractice_IsTaken_AndThePhoneIsLeftUpForThatCall()
    {
        await using var t = new PhoneTestCall("dr-martin", PickupDecision.Code);
        var board = new QueueBoard(t.Time);
        var asked = new List<string>();
        // The patient's call answers in its own inbox; here, at once.
        using var later = board.Ringing.Open(new RingingCall("later", "tilleuls", ["accueil-2"], Nine.AddMinutes(1)), e => Take(e, asked));
        using var first = board.Ringing.Open(new RingingCall("first", "tilleuls", ["accueil-1"], Nine), e => Take(e, asked));

        await t.Time.RunAsync(Handler(board).HandleAsync(t.Call, CancellationToken.None));

        Assert.That(asked, Is.EqualTo(new[] { "first" }));
        Assert.That(t.Fake.Matching("^DELETE channels/phone-1"), Is.Empty, "the channel is the patient's call's now: not hung up");
        Assert.That(t.Fake.Matching("/play/"), Is.Empty);
    }

    [Test]
    public async Task ACallThatStoppedRingingBeforeItCouldAnswer_TheNextOneIsTried()
    {
        await using var t = new PhoneTestCall("dr-martin", PickupDecision.Code);
        var board = new QueueBoard(t.Time);
        var asked = new List<string>();
        using var gone = board.Ringing.Open(new RingingCall("answered-meanwhile", "tilleuls", ["accueil-1"], Nine),
            e => { asked.Add(((PickupRequested)e).PatientCallId); ((PickupRequested)e).Answer(false); });
        using var next = board.Ringing.Open(new RingingCall("next", "tilleuls", ["accueil-2"], Nine.AddSeconds(5)), e => Take(e, asked));

        await t.Time.RunAsync(Handler(board).HandleAsync(t.Call, CancellationToken.None));

        Assert.That(asked, Is.EqualTo(new[] { "answered-meanwhile", "next" }));
        Assert.That(t.Fake.Matching("^DELETE channels/phone-1"), Is.Empty);
    }

    [Test]
    public async Task AChannelThatIsNotAProvisionedPhone_IsRefused()
    {
        await using var t = new PhoneTestCall(null, PickupDecision.Code);
        var board = new QueueBoard(t.Time);
        var offered = new List<AriEvent>();
        using var ringing = board.Ringing.Open(new RingingCall("patient", "tilleuls", ["accueil-1"], Nine), offered.Add);

        await t.Time.RunAsync(Handler(board).HandleAsync(t.Call, CancellationToken.None));

        Assert.That(offered, Is.Empty);
        Assert.That(t.Fake.Matching("code-refuse"), Has.Count.EqualTo(1));
    }

    private CallPickup Handler(QueueBoard board) => new(_rules, board, NullLogger<CallPickup>.Instance);

    private static void Take(AriEvent e, List<string> asked)
    {
        var request = (PickupRequested)e;
        asked.Add(request.PatientCallId);
        request.Answer(true);
    }
}
