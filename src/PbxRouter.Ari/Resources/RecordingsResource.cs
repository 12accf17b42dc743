using PbxRouter.Ari.Json;
using PbxRouter.Ari.Transport;

namespace PbxRouter.Ari;

/// <summary>ARI /recordings: live recordings and stored files (voicemail messages, greetings).</summary>
public sealed class RecordingsResource
{
    private static readonly AriJsonContext Json = AriJsonContext.Default;
    private readonly AriHttp _http;

    internal RecordingsResource(AriHttp http) => _http = http;

    public Task<StoredRecording> GetStoredAsync(string name, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, Query.Path("recordings/stored/", name), "recordings.getStored", name, Json.StoredRecording, null, ct);

    public async Task<IReadOnlyList<StoredRecording>> ListStoredAsync(CancellationToken ct = default) =>
        await _http.SendAsync(HttpMethod.Get, "recordings/stored", "recordings.listStored", null, Json.ListStoredRecording, null, ct)
            .ConfigureAwait(false);

    public Task DeleteStoredAsync(string name, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Delete, Query.Path("recordings/stored/", name), "recordings.deleteStored", name, null, ct);

    /// <summary>The file's bytes, read through ARI so it works wherever Asterisk runs. Buffered in memory.</summary>
    public Task<Stream> GetStoredFileAsync(string name, CancellationToken ct = default) =>
        _http.GetStreamAsync(Query.Path("recordings/stored/", name, "/file"), "recordings.getStoredFile", name, ct);

    /// <summary>Stops a live recording and keeps the file; RecordingFinished follows.</summary>
    public Task StopLiveAsync(string name, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, Query.Path("recordings/live/", name, "/stop"), "recordings.stopLive", name, null, ct);

    /// <summary>Stops a live recording and discards the file.</summary>
    public Task CancelLiveAsync(string name, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Delete, Query.Path("recordings/live/", name), "recordings.cancelLive", name, null, ct);

    public Task<LiveRecording> GetLiveAsync(string name, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, Query.Path("recordings/live/", name), "recordings.getLive", name, Json.LiveRecording, null, ct);
}
