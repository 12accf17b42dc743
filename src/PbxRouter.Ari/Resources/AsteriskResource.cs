using PbxRouter.Ari.Json;
using PbxRouter.Ari.Transport;

namespace PbxRouter.Ari;

/// <summary>ARI /asterisk and /endpoints: system info, global variables, module reload, endpoints, dynamic (sorcery) configuration.</summary>
public sealed class AsteriskResource
{
    private static readonly AriJsonContext Json = AriJsonContext.Default;
    private readonly AriHttp _http;

    internal AsteriskResource(AriHttp http) => _http = http;

    public Task<AsteriskInfo> GetInfoAsync(CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, "asterisk/info", "asterisk.info", null, Json.AsteriskInfo, null, ct);

    /// <summary>A global (dialplan) variable; an unset one reads as "" (Asterisk answers 200 with an empty value).</summary>
    public async Task<string> GetGlobalVariableAsync(string name, CancellationToken ct = default)
    {
        var v = await _http.SendAsync(HttpMethod.Get, Query.Path("asterisk/variable").Add("variable", name), "asterisk.getVariable", name,
            Json.Variable, null, ct).ConfigureAwait(false);
        return v.Value ?? "";
    }

    /// <summary>Sets a global variable (synchronous: done when this returns). Asterisk keeps it until it restarts.</summary>
    public Task SetGlobalVariableAsync(string name, string value, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, Query.Path("asterisk/variable").Add("variable", name).Add("value", value), "asterisk.setVariable", name,
            null, ct);

    /// <summary>Reloads a module, e.g. res_pjsip.so.</summary>
    public Task ReloadModuleAsync(string name, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Put, Query.Path("asterisk/modules/", name), "asterisk.reloadModule", name, null, ct);

    public async Task<IReadOnlyList<Endpoint>> ListEndpointsAsync(CancellationToken ct = default) =>
        await _http.SendAsync(HttpMethod.Get, "endpoints", "endpoints.list", null, Json.ListEndpoint, null, ct).ConfigureAwait(false);

    public Task<Endpoint> GetEndpointAsync(string tech, string resource, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, Query.Path("endpoints/", tech, "/", resource), "endpoints.get", $"{tech}/{resource}",
            Json.Endpoint, null, ct);

    /// <summary>Creates or updates a sorcery object, e.g. ("res_pjsip", "endpoint", "alice", fields).</summary>
    public async Task<IReadOnlyList<ConfigTuple>> PutObjectAsync(string configClass, string objectType, string id,
        IEnumerable<KeyValuePair<string, string>> fields, CancellationToken ct = default)
    {
        var body = new FieldsBody([.. fields.Select(f => new ConfigTuple(f.Key, f.Value))]);
        return await _http.SendAsync(HttpMethod.Put, ConfigPath(configClass, objectType, id), "asterisk.putObject",
            $"{configClass}/{objectType}/{id}", Json.ListConfigTuple, AriHttp.Json(body, Json.FieldsBody), ct).ConfigureAwait(false);
    }

    public Task DeleteObjectAsync(string configClass, string objectType, string id, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Delete, ConfigPath(configClass, objectType, id), "asterisk.deleteObject",
            $"{configClass}/{objectType}/{id}", null, ct);

    private static Query ConfigPath(string configClass, string objectType, string id) =>
        Query.Path("asterisk/config/dynamic/", configClass, "/", objectType, "/", id);
}
