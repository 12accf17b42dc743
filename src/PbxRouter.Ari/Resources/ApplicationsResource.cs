using PbxRouter.Ari.Json;
using PbxRouter.Ari.Transport;

namespace PbxRouter.Ari;

/// <summary>ARI /applications: what a Stasis application holds (resync after reconnect) and its event filter.</summary>
public sealed class ApplicationsResource
{
    private static readonly AriJsonContext Json = AriJsonContext.Default;
    private readonly AriHttp _http;

    internal ApplicationsResource(AriHttp http) => _http = http;

    /// <summary>channel_ids, bridge_ids, endpoint_ids and device_names of the application.</summary>
    public Task<Application> GetAsync(string name, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, Query.Path("applications/", name), "applications.get", name, Json.Application, null, ct);

    /// <summary>Allows only these event types (an empty list allows all).</summary>
    public Task<Application> SetEventFilterAsync(string name, IEnumerable<string> allowed, CancellationToken ct = default)
    {
        var body = new EventFilterBody([.. allowed.Select(t => new EventTypeName(t))]);
        return _http.SendAsync(HttpMethod.Put, Query.Path("applications/", name, "/eventFilter"), "applications.eventFilter", name,
            Json.Application, AriHttp.Json(body, Json.EventFilterBody), ct);
    }

    /// <summary>Subscribes to an event source: channel:ID, bridge:ID, endpoint:TECH/RESOURCE, deviceState:NAME.</summary>
    public Task<Application> SubscribeAsync(string name, string eventSource, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, Query.Path("applications/", name, "/subscription").Add("eventSource", eventSource),
            "applications.subscribe", name, Json.Application, null, ct);

    public Task<Application> UnsubscribeAsync(string name, string eventSource, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Delete, Query.Path("applications/", name, "/subscription").Add("eventSource", eventSource),
            "applications.unsubscribe", name, Json.Application, null, ct);
}
