using PbxRouter.Ari.Json;
using PbxRouter.Ari.Transport;

namespace PbxRouter.Ari;

/// <summary>ARI /playbacks: inspect and stop playbacks.</summary>
public sealed class PlaybacksResource
{
    private readonly AriHttp _http;

    internal PlaybacksResource(AriHttp http) => _http = http;

    public Task<Playback> GetAsync(string playbackId, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, Query.Path("playbacks/", playbackId), "playbacks.get", playbackId,
            AriJsonContext.Default.Playback, null, ct);

    /// <summary>Stops the playback; PlaybackFinished follows.</summary>
    public Task StopAsync(string playbackId, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Delete, Query.Path("playbacks/", playbackId), "playbacks.stop", playbackId, null, ct);

    /// <summary>Operation: restart, pause, unpause, reverse, forward.</summary>
    public Task ControlAsync(string playbackId, string operation, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, Query.Path("playbacks/", playbackId, "/control").Add("operation", operation),
            "playbacks.control", playbackId, null, ct);
}
