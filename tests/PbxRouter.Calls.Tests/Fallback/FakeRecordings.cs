using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Ari;

namespace PbxRouter.Calls.Tests.Fallback;

/// <summary>Asterisk's stored recordings and channels as ARI shows them, in memory: list, file, delete, channel lookup.</summary>
internal sealed class FakeRecordings : HttpMessageHandler
{
    public ConcurrentDictionary<string, byte[]> Stored { get; } = new();
    public HashSet<string> AliveChannels { get; } = [];
    public ConcurrentQueue<string> Deleted { get; } = new();

    public AriClient Client() => new(new AriOptions
    {
        BaseUrl = new Uri("http://127.0.0.1:8088/ari/"), User = "pbxrouter", Password = "test", Application = "pbxrouter",
    }, NullLoggerFactory.Instance, null, this);

    /// <summary>A WAV file as Asterisk writes it (8 kHz, 16-bit, mono) holding <paramref name="seconds"/> of silence.</summary>
    public static byte[] Wav(int seconds)
    {
        var data = seconds * 16000;
        using var wav = new MemoryStream();
        using var w = new BinaryWriter(wav);
        w.Write("RIFF"u8); w.Write(36 + data); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(8000); w.Write(16000); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(data); w.Write(new byte[data]);
        return wav.ToArray();
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = Uri.UnescapeDataString(request.RequestUri!.AbsolutePath["/ari/".Length..]);
        const string stored = "recordings/stored/";
        if (request.Method == HttpMethod.Get && path == "recordings/stored")
            return Json(HttpStatusCode.OK, "[" + string.Join(",", Stored.Keys.Select(k => $$"""{"name":"{{k}}","format":"wav"}""")) + "]");
        if (request.Method == HttpMethod.Get && path.StartsWith(stored) && path.EndsWith("/file"))
            return Stored.TryGetValue(path[stored.Length..^"/file".Length], out var bytes)
                ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) })
                : Json(HttpStatusCode.NotFound, """{"message":"Recording not found"}""");
        if (request.Method == HttpMethod.Delete && path.StartsWith(stored))
        {
            var name = path[stored.Length..];
            Deleted.Enqueue(name);
            return Stored.TryRemove(name, out _) ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent)) : Json(HttpStatusCode.NotFound, "{}");
        }
        if (request.Method == HttpMethod.Get && path.StartsWith("channels/"))
        {
            var id = path["channels/".Length..];
            return AliveChannels.Contains(id)
                ? Json(HttpStatusCode.OK, $$"""{"id":"{{id}}","name":"PJSIP/trunk-1","state":"Up"}""")
                : Json(HttpStatusCode.NotFound, """{"message":"Channel not found"}""");
        }
        return Json(HttpStatusCode.NotFound, $$"""{"message":"not faked: {{request.Method}} {{path}}"}""");
    }

    private static Task<HttpResponseMessage> Json(HttpStatusCode status, string body) =>
        Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
}
