using PbxRouter.Ari.Events;
using static PbxRouter.Ari.Tests.Support.AriSamples;

namespace PbxRouter.Ari.Tests.Events;

public class TransferEventsTests
{
    // Shaped as events.json (Asterisk 22) describes ChannelTransfer; a blind REFER to 201 on a reception leg.
    private const string BlindJson = """
        {"type":"ChannelTransfer","application":"pbxrouter","timestamp":"2026-11-24T10:00:08.245+0100",
         "refer_to":{"requested_destination":{"destination":"201"}},
         "referred_by":{"source_channel":{"id":"c1-member-2","name":"PJSIP/tilleuls.accueil-1-00000003","state":"Up"},
                        "connected_channel":{"id":"c1","name":"PJSIP/test-trunk-00000001","state":"Up"},
                        "bridge":{"id":"c1-bridge-3","bridge_type":"mixing","channels":["c1","c1-member-2"]}}}
        """;

    private const string AttendedJson = """
        {"type":"ChannelTransfer","application":"pbxrouter","state":"channel_answered",
         "refer_to":{"requested_destination":{"protocol_id":"abc@127.0.0.4",
                       "additional_protocol_params":[{"parameter_name":"from-tag","parameter_value":"x1"}]},
                     "destination_channel":{"id":"consult-1","name":"PJSIP/tilleuls.accueil-1-00000005","state":"Up"},
                     "connected_channel":{"id":"doctor-1","name":"PJSIP/tilleuls.dr-martin-00000006","state":"Up"},
                     "bridge":{"id":"consult-bridge","channels":["consult-1","doctor-1"]}},
         "referred_by":{"source_channel":{"id":"c1-member-2","name":"PJSIP/tilleuls.accueil-1-00000003","state":"Up"}}}
        """;

    [Test]
    public void Decode_BlindChannelTransfer_ReadsTheDestination_AndIsRoutedByTheLegItCameOn()
    {
        var e = (ChannelTransfer)AriEventDecoder.Decode(Utf8(BlindJson))!;

        Assert.Multiple(() =>
        {
            Assert.That(e.IsRequest, Is.True, "no state: a new REFER");
            Assert.That(e.ReferTo.RequestedDestination.Destination, Is.EqualTo("201"));
            Assert.That(e.ReferTo.DestinationChannel, Is.Null);
            Assert.That(e.ReferredBy.SourceChannel.Id, Is.EqualTo("c1-member-2"));
            Assert.That(e.ReferredBy.Bridge!.Channels, Is.EqualTo(new[] { "c1", "c1-member-2" }));
            Assert.That(e.ChannelIds.First(), Is.EqualTo("c1-member-2"));
        });
    }

    [Test]
    public void Decode_AttendedChannelTransfer_ReadsTheCallToReplace_AndAStateMeansAnEcho()
    {
        var e = (ChannelTransfer)AriEventDecoder.Decode(Utf8(AttendedJson))!;

        Assert.Multiple(() =>
        {
            Assert.That(e.IsRequest, Is.False, "Asterisk's echo of transfer_progress");
            Assert.That(e.ReferTo.RequestedDestination.ProtocolId, Is.EqualTo("abc@127.0.0.4"));
            Assert.That(e.ReferTo.RequestedDestination.AdditionalProtocolParams![0].ParameterName, Is.EqualTo("from-tag"));
            Assert.That(e.ReferTo.ConnectedChannel!.Name, Is.EqualTo("PJSIP/tilleuls.dr-martin-00000006"));
            Assert.That(e.ReferTo.Bridge!.Id, Is.EqualTo("consult-bridge"));
            Assert.That(e.ChannelIds, Is.EqualTo(new[] { "c1-member-2", "consult-1", "doctor-1" }));
        });
    }

    [Test]
    public void Decode_ChannelTransferWithoutWhoReferred_IsUndecodable() =>
        Assert.Catch<System.Text.Json.JsonException>(() => AriEventDecoder.Decode(Utf8("""{"type":"ChannelTransfer","refer_to":{"requested_destination":{}}}""")));

    [Test]
    public void KnownTypes_IncludeChannelTransfer_SoTheEventFilterLetsItThrough() =>
        Assert.That(AriEventDecoder.KnownTypes, Does.Contain("ChannelTransfer"));
}
