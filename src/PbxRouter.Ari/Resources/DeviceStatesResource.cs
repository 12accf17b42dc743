using PbxRouter.Ari.Json;
using PbxRouter.Ari.Transport;

namespace PbxRouter.Ari;

/// <summary>ARI /deviceStates: Stasis:NAME device states shown to phones through hints (BLF lamps).</summary>
public sealed class DeviceStatesResource
{
    private readonly AriHttp _http;

    internal DeviceStatesResource(AriHttp http) => _http = http;

    /// <summary>Sets Stasis:NAME to NOT_INUSE, INUSE, BUSY, INVALID, UNAVAILABLE, RINGING, RINGINUSE or ONHOLD.</summary>
    public Task UpdateAsync(string name, string state, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Put, Query.Path("deviceStates/", name).Add("deviceState", state), "deviceStates.update", name, null, ct);

    public Task<DeviceState> GetAsync(string name, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, Query.Path("deviceStates/", name), "deviceStates.get", name, AriJsonContext.Default.DeviceState, null, ct);

    public async Task<IReadOnlyList<DeviceState>> ListAsync(CancellationToken ct = default) =>
        await _http.SendAsync(HttpMethod.Get, "deviceStates", "deviceStates.list", null, AriJsonContext.Default.ListDeviceState, null, ct)
            .ConfigureAwait(false);

    public Task DeleteAsync(string name, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Delete, Query.Path("deviceStates/", name), "deviceStates.delete", name, null, ct);
}
