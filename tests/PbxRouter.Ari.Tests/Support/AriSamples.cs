using System.Text;

namespace PbxRouter.Ari.Tests.Support;

/// <summary>Event frames as Asterisk 22 sends them (field order and timestamp format included).</summary>
internal static class AriSamples
{
    public const string ChannelJson = """
        {"id":"1737364542.12","name":"PJSIP/trunk-0000000a","state":"Ring","protocol_id":"3c2a1b7f@10.0.0.1",
         "caller":{"name":"Patient","number":"+33612345678"},"connected":{"name":"","number":""},"accountcode":"",
         "dialplan":{"context":"from-trunk","exten":"0145000000","priority":3,"app_name":"Stasis","app_data":"pbxrouter,inbound,0145000000"},
         "creationtime":"2025-01-20T10:15:42.301+0100","language":"fr",
         "channelvars":{"PJSIP_HEADER(read,X-Practice)":"tilleuls","CHANNEL(pjsip,remote_addr)":"10.0.0.1:5060"}}
        """;

    public const string LegJson = """
        {"id":"leg-1","name":"PJSIP/alice-0000000b","state":"Down","protocol_id":"",
         "caller":{"name":"","number":""},"connected":{"name":"Patient","number":"+33612345678"},"accountcode":"",
         "dialplan":{"context":"default","exten":"s","priority":1,"app_name":"AppDial2","app_data":"(Outgoing Line)"},
         "creationtime":"2025-01-20T10:15:43.020+0100","language":"en"}
        """;

    public static readonly string StasisStartJson =
        $$"""{"type":"StasisStart","timestamp":"2025-01-20T10:15:42.318+0100","args":["inbound","0145000000"],"channel":{{ChannelJson}},"asterisk_id":"02:42:ac:11:00:02","application":"pbxrouter"}""";

    public static readonly string StasisEndJson =
        $$"""{"type":"StasisEnd","timestamp":"2025-01-20T10:16:02.000+0100","channel":{{ChannelJson}},"asterisk_id":"02:42:ac:11:00:02","application":"pbxrouter"}""";

    public static readonly string DialJson =
        $$"""{"type":"Dial","timestamp":"2025-01-20T10:15:45.112+0100","dialstatus":"ANSWER","forward":"","dialstring":"alice","caller":{{ChannelJson}},"peer":{{LegJson}},"asterisk_id":"02:42:ac:11:00:02","application":"pbxrouter"}""";

    public static readonly string DialWithoutCallerJson =
        $$"""{"type":"Dial","timestamp":"2025-01-20T10:15:43.500+0100","dialstatus":"","dialstring":"alice","peer":{{LegJson}},"application":"pbxrouter"}""";

    public static readonly string DtmfJson =
        $$"""{"type":"ChannelDtmfReceived","timestamp":"2025-01-20T10:15:50.640+0100","digit":"#","duration_ms":120,"channel":{{ChannelJson}},"asterisk_id":"02:42:ac:11:00:02","application":"pbxrouter"}""";

    public static readonly string HangupRequestJson =
        $$"""{"type":"ChannelHangupRequest","timestamp":"2025-01-20T10:16:01.900+0100","soft":true,"cause":16,"channel":{{ChannelJson}},"application":"pbxrouter"}""";

    public static readonly string ChannelDestroyedJson =
        $$"""{"type":"ChannelDestroyed","timestamp":"2025-01-20T10:16:02.100+0100","cause":16,"cause_txt":"Normal Clearing","tech_cause":200,"channel":{{ChannelJson}},"application":"pbxrouter"}""";

    public const string PlaybackFinishedJson = """
        {"type":"PlaybackFinished","timestamp":"2025-01-20T10:15:48.001+0100",
         "playback":{"id":"greeting-1737364542.12","media_uri":"sound:custom/accueil","target_uri":"channel:1737364542.12","language":"fr","state":"done"},
         "asterisk_id":"02:42:ac:11:00:02","application":"pbxrouter"}
        """;

    public const string RecordingFinishedJson = """
        {"type":"RecordingFinished","timestamp":"2025-01-20T10:17:30.456+0100",
         "recording":{"name":"voicemail/tilleuls/1737364542.12","format":"wav","target_uri":"channel:1737364542.12","state":"done","duration":25,"talking_duration":21,"silence_duration":4},
         "asterisk_id":"02:42:ac:11:00:02","application":"pbxrouter"}
        """;

    public const string ChannelEnteredBridgeJson = """
        {"type":"ChannelEnteredBridge","timestamp":"2025-01-20T10:15:45.200+0100",
         "bridge":{"id":"call-1737364542.12","technology":"simple_bridge","bridge_type":"mixing","bridge_class":"stasis","creator":"Stasis","name":"","channels":["1737364542.12","leg-1"],"creationtime":"2025-01-20T10:15:43.000+0100","video_mode":"none"},
         "channel":{"id":"leg-1","name":"PJSIP/alice-0000000b","state":"Up","protocol_id":"","caller":{"name":"","number":""},"connected":{"name":"","number":""},"accountcode":"","dialplan":{"context":"default","exten":"s","priority":1,"app_name":"","app_data":""},"creationtime":"2025-01-20T10:15:43.020+0100","language":"en"},
         "application":"pbxrouter"}
        """;

    public const string DeviceStateChangedJson = """
        {"type":"DeviceStateChanged","timestamp":"2025-01-20T10:15:45.300+0100","device_state":{"name":"Stasis:reception","state":"INUSE"},"application":"pbxrouter"}
        """;

    public const string ApplicationReplacedJson = """
        {"type":"ApplicationReplaced","timestamp":"2025-01-20T10:20:00.000+0100","application":"pbxrouter"}
        """;

    public const string UnknownJson = """
        {"type":"ChannelTalkingStarted","timestamp":"2025-01-20T10:15:45.300+0100","channel":{"id":"x"},"application":"pbxrouter"}
        """;

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);
}
