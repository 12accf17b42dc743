using System.Reflection;
using System.Text;
using PbxRouter.Ari.Tests.Support;

namespace PbxRouter.Ari.Tests.Fuzz;

/// <summary>Seed frames: every event of <see cref="AriSamples"/> plus one of each other decoded type, as Asterisk 22 sends them.</summary>
internal static class AriEventSeeds
{
    private const string Bridge = """
        {"id":"call-1","technology":"simple_bridge","bridge_type":"mixing","bridge_class":"stasis","creator":"Stasis","name":"","channels":["c1"],"creationtime":"2025-01-20T10:15:43.000+0100","video_mode":"none","bridgevars":{"K":"v"}}
        """;

    private static readonly string[] Others =
    [
        $$"""{"type":"ChannelStateChange","timestamp":"2025-01-20T10:15:44.000+0100","channel":{{AriSamples.LegJson}},"application":"pbxrouter"}""",
        $$"""{"type":"ChannelVarset","timestamp":"2025-01-20T10:15:44.100+0100","variable":"X","value":"1","channel":{{AriSamples.LegJson}},"application":"pbxrouter"}""",
        $$"""{"type":"ChannelLeftBridge","timestamp":"2025-01-20T10:16:00.000+0100","bridge":{{Bridge}},"channel":{{AriSamples.LegJson}},"application":"pbxrouter"}""",
        $$"""{"type":"BridgeDestroyed","timestamp":"2025-01-20T10:16:01.000+0100","bridge":{{Bridge}},"application":"pbxrouter"}""",
        """{"type":"PlaybackStarted","timestamp":"2025-01-20T10:15:46.000+0100","playback":{"id":"p1","media_uri":"sound:x","next_media_uri":"sound:y","target_uri":"bridge:call-1","language":"fr","state":"playing"},"application":"pbxrouter"}""",
        """{"type":"RecordingStarted","timestamp":"2025-01-20T10:17:00.000+0100","recording":{"name":"r1","format":"wav","target_uri":"bridge:call-1","state":"recording"},"application":"pbxrouter"}""",
        """{"type":"RecordingFailed","timestamp":"2025-01-20T10:17:01.000+0100","recording":{"name":"r1","format":"wav","target_uri":"channel:c1","state":"failed","cause":"disk full"},"application":"pbxrouter"}""",
        """{"type":"EndpointStateChange","timestamp":"2025-01-20T10:18:00.000+0100","endpoint":{"technology":"PJSIP","resource":"alice","state":"online","channel_ids":["c1"]},"application":"pbxrouter"}""",
        """{"type":"ContactStatusChange","timestamp":"2025-01-20T10:18:01.000+0100","endpoint":{"technology":"PJSIP","resource":"alice","state":"online","channel_ids":[]},"contact_info":{"uri":"sip:alice@10.0.0.5:5060","contact_status":"Reachable","aor":"alice","roundtrip_usec":"1234"},"application":"pbxrouter"}""",
        $$"""{"type":"StasisStart","timestamp":"2025-01-20T10:15:42.318+0100","args":[],"channel":{{AriSamples.LegJson}},"replace_channel":{{AriSamples.ChannelJson}},"application":"pbxrouter"}""",
    ];

    public static List<byte[]> All() =>
    [
        .. typeof(AriSamples).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(string) && f.Name.EndsWith("Json", StringComparison.Ordinal))
            .Select(f => (string)f.GetValue(null)!)
            .Where(json => json.Contains("\"type\"", StringComparison.Ordinal))
            .Concat(Others)
            .Select(Encoding.UTF8.GetBytes),
    ];
}
