using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using PbxRouter.Ari.Events;
using PbxRouter.Ari.Json;

namespace PbxRouter.Benchmarks;

/// <summary>Decoding one event frame: the client's one-pass type sniff + source-generated deserializer vs a JsonDocument per event.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class EventDecodingBenchmarks
{
    private const string Channel = """
        {"id":"1737364542.12","name":"PJSIP/trunk-0000000a","state":"Ring","protocol_id":"3c2a1b7f@10.0.0.1",
         "caller":{"name":"Patient","number":"+33612345678"},"connected":{"name":"","number":""},"accountcode":"",
         "dialplan":{"context":"from-trunk","exten":"0145000000","priority":3,"app_name":"Stasis","app_data":"pbxrouter,inbound,0145000000"},
         "creationtime":"2025-01-20T10:15:42.301+0100","language":"fr",
         "channelvars":{"PJSIP_HEADER(read,X-Practice)":"tilleuls"}}
        """;

    private readonly byte[] _stasisStart = Encoding.UTF8.GetBytes(
        $$"""{"type":"StasisStart","timestamp":"2025-01-20T10:15:42.318+0100","args":["inbound","0145000000"],"channel":{{Channel}},"asterisk_id":"02:42:ac:11:00:02","application":"pbxrouter"}""");

    private readonly byte[] _dtmf = Encoding.UTF8.GetBytes(
        $$"""{"type":"ChannelDtmfReceived","timestamp":"2025-01-20T10:15:50.640+0100","digit":"#","duration_ms":120,"channel":{{Channel}},"asterisk_id":"02:42:ac:11:00:02","application":"pbxrouter"}""");

    [BenchmarkCategory("StasisStart"), Benchmark(Baseline = true)]
    public AriEvent? StasisStart_JsonDocument() => NaiveDecode(_stasisStart);

    [BenchmarkCategory("StasisStart"), Benchmark]
    public AriEvent? StasisStart_Decoder() => AriEventDecoder.Decode(_stasisStart);

    [BenchmarkCategory("Dtmf"), Benchmark(Baseline = true)]
    public AriEvent? Dtmf_JsonDocument() => NaiveDecode(_dtmf);

    [BenchmarkCategory("Dtmf"), Benchmark]
    public AriEvent? Dtmf_Decoder() => AriEventDecoder.Decode(_dtmf);

    /// <summary>What many clients do: a DOM per event, read "type", then deserialize the element.</summary>
    private static AriEvent? NaiveDecode(byte[] frame)
    {
        using var doc = JsonDocument.Parse(frame);
        var root = doc.RootElement;
        return root.GetProperty("type").GetString() switch
        {
            "StasisStart" => root.Deserialize(AriJsonContext.Default.StasisStart),
            "ChannelDtmfReceived" => root.Deserialize(AriJsonContext.Default.ChannelDtmfReceived),
            _ => null,
        };
    }
}
