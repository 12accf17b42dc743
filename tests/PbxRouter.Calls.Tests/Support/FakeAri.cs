using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Ari;

namespace PbxRouter.Calls.Tests.Support;

/// <summary>
/// An in-memory Asterisk REST interface: records each request, answers plausible JSON (created channels, playbacks,
/// recordings, bridges, variables), and runs the test's reactions so a test can play Asterisk's events back.
/// </summary>
internal sealed partial class FakeAri : HttpMessageHandler
{
    private readonly List<(string Pattern, Action<string> React)> _reactions = [];

    /// <summary>"METHOD path?query" of every request, in order (path after /ari/, query unescaped).</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Channel variables answered by GET channels/{id}/variable, for any channel.</summary>
    public Dictionary<string, string> Variables { get; } = new();

    /// <summary>Channel variables of one channel, keyed "CHANNEL/NAME" (looked up before <see cref="Variables"/>).</summary>
    public ConcurrentDictionary<string, string> ChannelVariables { get; } = new();

    /// <summary>Channels answered by GET applications/{app} as in Stasis.</summary>
    public List<string> InStasis { get; } = [];

    /// <summary>Bridges answered by GET applications/{app} (bridge_ids) and GET bridges: id and the channels in it.</summary>
    public ConcurrentDictionary<string, string[]> Bridges { get; } = new();

    /// <summary>JSON answered by GET channels/{id} for these channels (any other: a ringing channel with no dialplan).</summary>
    public ConcurrentDictionary<string, string> ChannelJson { get; } = new();

    /// <summary>Status answered to requests matching a pattern (regex) instead of success, e.g. ("POST channels/create", 500).</summary>
    public List<(string Pattern, int Status)> Failures { get; } = [];

    /// <summary>Endpoints answered by GET endpoints/TECH/RESOURCE, keyed "PJSIP/RESOURCE"; any other is online and free.</summary>
    public ConcurrentDictionary<string, (string State, string[] ChannelIds)> Endpoints { get; } = new();

    /// <summary>Fault injection by request line: a status to answer instead (e.g. 500), 0 for no answer at all (a hung
    /// Asterisk: the client's request timeout decides), null to answer normally.</summary>
    public Func<string, int?>? Fault { get; set; }

    public AriClient Client(TimeProvider? time = null, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null) => new(new AriOptions
    {
        BaseUrl = new Uri("http://127.0.0.1:8088/ari/"), User = "pbxrouter", Password = "test", Application = "pbxrouter",
    }, loggers ?? NullLoggerFactory.Instance, time, this);

    /// <summary>Runs <paramref name="react"/> (with the request line) after answering every request matching the regex.</summary>
    public void On(string pattern, Action<string> react)
    {
        lock (_reactions) _reactions.Add((pattern, react));
    }

    public List<string> Matching(string pattern) => Requests.Where(r => Regex.IsMatch(r, pattern)).ToList();

    /// <summary>Request bodies (JSON variables of channels/create...), keyed by request line.</summary>
    public ConcurrentDictionary<string, string> Bodies { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var line = $"{request.Method} {Uri.UnescapeDataString(request.RequestUri!.PathAndQuery["/ari/".Length..])}";
        if (request.Content is not null) Bodies[line] = await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Enqueue(line);
        if (Fault?.Invoke(line) is { } fault)
        {
            if (fault == 0) await Task.Delay(Timeout.Infinite, cancellationToken);
            return Json((HttpStatusCode)fault, """{"message":"injected fault"}""");
        }
        var failure = Failures.FirstOrDefault(f => Regex.IsMatch(line, f.Pattern));
        var response = failure.Pattern is not null ? Json((HttpStatusCode)failure.Status, """{"message":"scripted failure"}""") : Answer(line);
        (string, Action<string>)[] reactions;
        lock (_reactions) reactions = _reactions.Where(r => Regex.IsMatch(line, r.Pattern)).ToArray();
        if (failure.Pattern is null)
            foreach (var (_, react) in reactions) react(line);
        return response;
    }

    private HttpResponseMessage Answer(string line)
    {
        if (CreateRegex().Match(line) is { Success: true } create)
            return Json(HttpStatusCode.OK, $$"""{"id":"{{create.Groups[1].Value}}","name":"PJSIP/trunk-0001","state":"Down"}""");
        if (PlayRegex().Match(line) is { Success: true } play)
            return Json(HttpStatusCode.Created, $$"""{"id":"{{play.Groups[2].Value}}","target_uri":"channel:{{play.Groups[1].Value}}","state":"queued"}""");
        if (RecordRegex().Match(line) is { Success: true } record)
            return Json(HttpStatusCode.Created, $$"""{"name":"{{record.Groups[2].Value}}","target_uri":"channel:{{record.Groups[1].Value}}","state":"queued","format":"wav"}""");
        if (BridgeRegex().Match(line) is { Success: true } bridge)
            return Json(HttpStatusCode.OK, $$"""{"id":"{{bridge.Groups[1].Value}}","bridge_type":"mixing","channels":[]}""");
        if (ChannelGetRegex().Match(line) is { Success: true } channel)
            return ChannelJson.TryGetValue(channel.Groups[1].Value, out var json) ? Json(HttpStatusCode.OK, json) : Json(HttpStatusCode.OK, $$"""{"id":"{{channel.Groups[1].Value}}","name":"PJSIP/x-1","state":"Ringing"}""");
        if (EndpointRegex().Match(line) is { Success: true } endpoint)
            // Endpoints the test set; any other phone is registered and free.
            return Endpoints.TryGetValue($"{endpoint.Groups[1].Value}/{endpoint.Groups[2].Value}", out var known)
                ? Json(HttpStatusCode.OK, $$"""{"technology":"{{endpoint.Groups[1].Value}}","resource":"{{endpoint.Groups[2].Value}}","state":"{{known.State}}","channel_ids":[{{string.Join(',', known.ChannelIds.Select(c => $"\"{c}\""))}}]}""")
                : Json(HttpStatusCode.OK, $$"""{"technology":"{{endpoint.Groups[1].Value}}","resource":"{{endpoint.Groups[2].Value}}","state":"online","channel_ids":[]}""");
        if (line.StartsWith("GET bridges", StringComparison.Ordinal))
            return Json(HttpStatusCode.OK, "[" + string.Join(',', Bridges.Select(b =>
                $$"""{"id":"{{b.Key}}","bridge_type":"mixing","channels":[{{string.Join(',', b.Value.Select(c => $"\"{c}\""))}}]}""")) + "]");
        if (line.StartsWith("GET applications/", StringComparison.Ordinal) || line.StartsWith("POST applications/", StringComparison.Ordinal))
        {
            string[] ids;
            lock (InStasis) ids = [.. InStasis];
            return Json(HttpStatusCode.OK, $$"""{"name":"pbxrouter","channel_ids":[{{string.Join(',', ids.Select(c => $"\"{c}\""))}}],"bridge_ids":[{{string.Join(',', Bridges.Keys.Select(b => $"\"{b}\""))}}],"endpoint_ids":[],"device_names":[]}""");
        }
        if (VariableRegex().Match(line) is { Success: true } variable)
            return ChannelVariables.TryGetValue($"{variable.Groups[1].Value}/{variable.Groups[2].Value}", out var value)
                   || Variables.TryGetValue(variable.Groups[2].Value, out value)
                ? Json(HttpStatusCode.OK, $$"""{"value":{{System.Text.Json.JsonSerializer.Serialize(value)}}}""")
                : Json(HttpStatusCode.NotFound, """{"message":"Provided variable was not found"}""");
        return new HttpResponseMessage(HttpStatusCode.NoContent) { Content = new ByteArrayContent([]) };
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    [GeneratedRegex(@"^POST channels/create\?.*channelId=([^&]+)")]
    private static partial Regex CreateRegex();

    [GeneratedRegex(@"^POST channels/([^/]+)/play/([^?]+)")]
    private static partial Regex PlayRegex();

    [GeneratedRegex(@"^POST channels/([^/]+)/record\?name=([^&]+)")]
    private static partial Regex RecordRegex();

    [GeneratedRegex(@"^POST bridges/([^?]+)\?")]
    private static partial Regex BridgeRegex();

    [GeneratedRegex(@"^GET channels/([^/?]+)$")]
    private static partial Regex ChannelGetRegex();

    [GeneratedRegex(@"^GET endpoints/([^/]+)/([^/?]+)$")]
    private static partial Regex EndpointRegex();

    [GeneratedRegex(@"^GET channels/([^/]+)/variable\?variable=(.+)$")]
    private static partial Regex VariableRegex();
}
