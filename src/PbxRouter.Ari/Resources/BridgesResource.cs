using PbxRouter.Ari.Json;
using PbxRouter.Ari.Transport;

namespace PbxRouter.Ari;

/// <summary>ARI /bridges: mixing and holding bridges, their channels, music on hold and announcements.</summary>
public sealed class BridgesResource
{
    private static readonly AriJsonContext Json = AriJsonContext.Default;
    private readonly AriHttp _http;

    internal BridgesResource(AriHttp http) => _http = http;

    /// <summary>Type: comma-separated mixing, holding, dtmf_events, proxy_media, video_sfu, video_single, sdp_label.</summary>
    public Task<Bridge> CreateAsync(string type, string? bridgeId = null, string? name = null, CancellationToken ct = default)
    {
        // POST /bridges/{id} creates with a caller-chosen id, so events can be matched before the call returns.
        var path = bridgeId is null ? Query.Path("bridges") : Query.Path("bridges/", bridgeId);
        return _http.SendAsync(HttpMethod.Post, path.Add("type", type).Add("name", name), "bridges.create", bridgeId, Json.Bridge, null, ct);
    }

    public Task<Bridge> GetAsync(string bridgeId, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, Query.Path("bridges/", bridgeId), "bridges.get", bridgeId, Json.Bridge, null, ct);

    public async Task<IReadOnlyList<Bridge>> ListAsync(CancellationToken ct = default) =>
        await _http.SendAsync(HttpMethod.Get, "bridges", "bridges.list", null, Json.ListBridge, null, ct).ConfigureAwait(false);

    /// <summary>Destroys the bridge; its channels stay in Stasis.</summary>
    public Task DestroyAsync(string bridgeId, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Delete, Query.Path("bridges/", bridgeId), "bridges.destroy", bridgeId, null, ct);

    /// <summary>Role: e.g. announcer, partner (holding bridges: participant or announcer).</summary>
    public Task AddChannelAsync(string bridgeId, string channelId, string? role = null, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, Query.Path("bridges/", bridgeId, "/addChannel").Add("channel", channelId).Add("role", role),
            "bridges.addChannel", bridgeId, null, ct);

    public Task AddChannelAsync(string bridgeId, IEnumerable<string> channelIds, string? role = null, CancellationToken ct = default) =>
        AddChannelAsync(bridgeId, string.Join(',', channelIds), role, ct);

    public Task RemoveChannelAsync(string bridgeId, string channelId, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, Query.Path("bridges/", bridgeId, "/removeChannel").Add("channel", channelId),
            "bridges.removeChannel", bridgeId, null, ct);

    public Task RemoveChannelAsync(string bridgeId, IEnumerable<string> channelIds, CancellationToken ct = default) =>
        RemoveChannelAsync(bridgeId, string.Join(',', channelIds), ct);

    public Task StartMohAsync(string bridgeId, string? mohClass = null, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, Query.Path("bridges/", bridgeId, "/moh").Add("mohClass", mohClass), "bridges.startMoh", bridgeId, null, ct);

    public Task StopMohAsync(string bridgeId, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Delete, Query.Path("bridges/", bridgeId, "/moh"), "bridges.stopMoh", bridgeId, null, ct);

    /// <summary>Plays media to every channel of the bridge.</summary>
    public Task<Playback> PlayAsync(string bridgeId, string media, string? playbackId = null, CancellationToken ct = default)
    {
        var path = playbackId is null
            ? Query.Path("bridges/", bridgeId, "/play")
            : Query.Path("bridges/", bridgeId, "/play/", playbackId);
        return _http.SendAsync(HttpMethod.Post, path.Add("media", media), "bridges.play", bridgeId, Json.Playback, null, ct);
    }
}
