using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Flows.Pickup;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Tests.Flows.Pickup;

/// <summary>The list of ringing calls the pickup code can take: one request at a time, none once the ringing stopped.</summary>
[TestFixture]
public sealed class RingingCallsTests
{
    private static readonly RingingCall Patient = new("patient-1", "tilleuls", ["accueil-1"], DateTimeOffset.Parse("2026-11-24T09:00:00Z"));

    [Test]
    public void TryRequest_ACallThatDoesNotRing_IsRefused()
    {
        Assert.That(new RingingCalls().TryRequest(Request("phone-1")), Is.False);
    }

    [Test]
    public void TryRequest_TwoPhonesAtOnce_OnlyTheFirstIsHandedToTheCall()
    {
        var ringing = new RingingCalls();
        var delivered = new List<AriEvent>();
        using var open = ringing.Open(Patient, delivered.Add);

        var first = Request("phone-1");
        Assert.That(ringing.TryRequest(first), Is.True);
        Assert.That(ringing.TryRequest(Request("phone-2")), Is.False, "the call already answers the first phone");
        first.Answer(false);
        var third = Request("phone-3");
        Assert.That(ringing.TryRequest(third), Is.True, "the first was refused: the call is free again");
        Assert.That(delivered, Is.EqualTo(new AriEvent[] { first, third }));
    }

    [Test]
    public async Task Close_WithARequestTheCallNeverRead_AnswersNotTaken()
    {
        var ringing = new RingingCalls();
        var open = ringing.Open(Patient, _ => { });
        var request = Request("phone-1");
        Assert.That(ringing.TryRequest(request), Is.True);

        open.Dispose();

        Assert.That(await request.Taken, Is.False, "the phone that asked is never left waiting");
        Assert.That(ringing.Now, Is.Empty);
    }

    private static PickupRequested Request(string phoneChannel) =>
        new(Patient.CallId, new Channel { Id = phoneChannel, Name = $"PJSIP/tilleuls.dr-martin-{phoneChannel}" }, "dr-martin");
}
