using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace PbxRouter.Ari.Tests.Support;

/// <summary>An in-memory ARI: records each request and answers with what the test scripted.</summary>
internal sealed class FakeAriHandler : HttpMessageHandler
{
    public ConcurrentQueue<Recorded> Requests { get; } = new();

    /// <summary>Answer to every request; defaults to 204.</summary>
    public Func<HttpRequestMessage, Task<HttpResponseMessage>> Respond { get; set; } =
        _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));

    public Recorded Last => Requests.Last();

    public void Reply(HttpStatusCode status, string? json = null) =>
        Respond = _ => Task.FromResult(Response(status, json));

    public static HttpResponseMessage Response(HttpStatusCode status, string? json) => new(status)
    {
        Content = json is null ? new ByteArrayContent([]) : new StringContent(json, Encoding.UTF8, "application/json"),
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Enqueue(new Recorded(request.Method, request.RequestUri!, body, request.Headers.Authorization?.ToString()));
        return await Respond(request).WaitAsync(cancellationToken);
    }

    /// <summary>One request as the fake received it.</summary>
    public sealed record Recorded(HttpMethod Method, Uri Uri, string? Body, string? Authorization)
    {
        /// <summary>Path after /ari/ plus the query, e.g. "channels/c1/dial?timeout=20".</summary>
        public string PathAndQuery => Uri.PathAndQuery["/ari/".Length..];
    }
}

/// <summary>Builds clients on a <see cref="FakeAriHandler"/>.</summary>
internal static class TestClients
{
    public static AriOptions Options(string baseUrl = "http://127.0.0.1:8088/ari/") => new()
    {
        BaseUrl = new Uri(baseUrl),
        User = "pbxrouter",
        Password = "s3cret",
        Application = "pbxrouter",
    };

    public static AriClient Create(FakeAriHandler handler, AriOptions? options = null, TimeProvider? time = null) =>
        new(options ?? Options(), new ListLogger(), time, handler);
}
