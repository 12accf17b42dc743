using PbxRouter.Ari.Json;
using PbxRouter.Ari.Transport;

namespace PbxRouter.Ari;

/// <summary>ARI /channels: originate, create, dial, answer, play, record, hang up.</summary>
public sealed class ChannelsResource
{
    private static readonly AriJsonContext Json = AriJsonContext.Default;
    private readonly AriHttp _http;
    private readonly AriOptions _options;

    internal ChannelsResource(AriHttp http, AriOptions options)
    {
        _http = http;
        _options = options;
    }

    /// <summary>POST /channels. Without App or Extension the channel enters this client's application when answered.</summary>
    public Task<Channel> OriginateAsync(OriginateRequest r, CancellationToken ct = default)
    {
        string? app = r.App ?? (r.Extension is null && r.Context is null && r.Label is null ? _options.Application : null);
        var path = Query.Path("channels")
            .Add("endpoint", r.Endpoint).Add("extension", r.Extension).Add("context", r.Context)
            .Add("priority", r.Priority).Add("label", r.Label).Add("app", app).Add("appArgs", r.AppArgs)
            .Add("callerId", r.CallerId).Add("timeout", r.Timeout).Add("channelId", r.ChannelId)
            .Add("otherChannelId", r.OtherChannelId).Add("originator", r.Originator).Add("formats", r.Formats);
        return _http.SendAsync(HttpMethod.Post, path, "channels.originate", r.ChannelId ?? r.Endpoint, Json.Channel, Variables(r.Variables), ct);
    }

    /// <summary>POST /channels/create: the channel is in Stasis at once; bridge it, then <see cref="DialAsync"/>.</summary>
    public Task<Channel> CreateAsync(CreateChannelRequest r, CancellationToken ct = default)
    {
        var path = Query.Path("channels/create")
            .Add("endpoint", r.Endpoint).Add("app", r.App ?? _options.Application).Add("appArgs", r.AppArgs)
            .Add("channelId", r.ChannelId).Add("otherChannelId", r.OtherChannelId)
            .Add("originator", r.Originator).Add("formats", r.Formats);
        return _http.SendAsync(HttpMethod.Post, path, "channels.create", r.ChannelId ?? r.Endpoint, Json.Channel, Variables(r.Variables), ct);
    }

    /// <summary>Dials a created channel. <paramref name="caller"/> is a channel id whose caller id is copied; timeout 0 = none.</summary>
    public Task DialAsync(string id, string? caller = null, int timeoutSeconds = 0, CancellationToken ct = default) =>
        Post(Query.Path("channels/", id, "/dial").Add("caller", caller).Add("timeout", timeoutSeconds > 0 ? timeoutSeconds : null), "channels.dial", id, ct);

    public Task AnswerAsync(string id, CancellationToken ct = default) =>
        Post(Query.Path("channels/", id, "/answer"), "channels.answer", id, ct);

    /// <summary>Indicates ringing to the caller.</summary>
    public Task RingAsync(string id, CancellationToken ct = default) =>
        Post(Query.Path("channels/", id, "/ring"), "channels.ring", id, ct);

    public Task RingStopAsync(string id, CancellationToken ct = default) =>
        Delete(Query.Path("channels/", id, "/ring"), "channels.ringStop", id, ct);

    /// <summary>Sends 183 Session Progress (early media).</summary>
    public Task ProgressAsync(string id, CancellationToken ct = default) =>
        Post(Query.Path("channels/", id, "/progress"), "channels.progress", id, ct);

    /// <summary>Reason: normal, busy, congestion, no_answer, timeout, rejected, unallocated, normal_unspecified, number_incomplete, codec_mismatch, interworking, failure, answered_elsewhere.</summary>
    public Task HangupAsync(string id, string reason = "normal", CancellationToken ct = default) =>
        Delete(Query.Path("channels/", id).Add("reason", reason), "channels.hangup", id, ct);

    /// <summary>Leaves Stasis and continues in the dialplan (at the next priority when nothing is given).</summary>
    public Task ContinueAsync(string id, string? context = null, string? extension = null, int? priority = null,
        string? label = null, CancellationToken ct = default) =>
        Post(Query.Path("channels/", id, "/continue").Add("context", context).Add("extension", extension)
            .Add("priority", priority).Add("label", label), "channels.continue", id, ct);

    /// <summary>Redirects the channel to another endpoint (SIP 302 before answer, REFER after).</summary>
    public Task RedirectAsync(string id, string endpoint, CancellationToken ct = default) =>
        Post(Query.Path("channels/", id, "/redirect").Add("endpoint", endpoint), "channels.redirect", id, ct);

    /// <summary>
    /// Tells the phone that sent a REFER (a transfer handled by the application) how it went: channel_progress,
    /// channel_answered (NOTIFY 200: done), channel_unavailable or channel_declined (NOTIFY 503/603: failed).
    /// </summary>
    public Task TransferProgressAsync(string id, string state, CancellationToken ct = default) =>
        Post(Query.Path("channels/", id, "/transfer_progress").Add("states", state), "channels.transferProgress", id, ct);

    public Task StartMohAsync(string id, string? mohClass = null, CancellationToken ct = default) =>
        Post(Query.Path("channels/", id, "/moh").Add("mohClass", mohClass), "channels.startMoh", id, ct);

    public Task StopMohAsync(string id, CancellationToken ct = default) =>
        Delete(Query.Path("channels/", id, "/moh"), "channels.stopMoh", id, ct);

    /// <summary>Plays media (sound:, recording:, tone:, digits:); on an unanswered channel this sends early media.</summary>
    public Task<Playback> PlayAsync(string id, string media, string? playbackId = null, string? lang = null, CancellationToken ct = default)
    {
        var path = playbackId is null
            ? Query.Path("channels/", id, "/play")
            : Query.Path("channels/", id, "/play/", playbackId);
        return _http.SendAsync(HttpMethod.Post, path.Add("media", media).Add("lang", lang), "channels.play", id, Json.Playback, null, ct);
    }

    /// <summary>Records the channel's audio; 409 while the channel is bridged.</summary>
    public Task<LiveRecording> RecordAsync(string id, RecordRequest r, CancellationToken ct = default)
    {
        var path = Query.Path("channels/", id, "/record")
            .Add("name", r.Name).Add("format", r.Format).Add("maxDurationSeconds", r.MaxDurationSeconds)
            .Add("maxSilenceSeconds", r.MaxSilenceSeconds).Add("ifExists", r.IfExists).Add("beep", r.Beep)
            .Add("terminateOn", r.TerminateOn);
        return _http.SendAsync(HttpMethod.Post, path, "channels.record", id, Json.LiveRecording, null, ct);
    }

    public Task SendDtmfAsync(string id, string dtmf, CancellationToken ct = default) =>
        Post(Query.Path("channels/", id, "/dtmf").Add("dtmf", dtmf), "channels.sendDtmf", id, ct);

    public Task<Channel> GetAsync(string id, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, Query.Path("channels/", id), "channels.get", id, Json.Channel, null, ct);

    public async Task<IReadOnlyList<Channel>> ListAsync(CancellationToken ct = default) =>
        await _http.SendAsync(HttpMethod.Get, "channels", "channels.list", null, Json.ListChannel, null, ct).ConfigureAwait(false);

    /// <summary>The variable's value, or null when it is not set (a missing channel still throws <see cref="AriNotFoundException"/>).</summary>
    public async Task<string?> GetVariableAsync(string id, string name, CancellationToken ct = default)
    {
        try
        {
            var v = await _http.SendAsync(HttpMethod.Get, Query.Path("channels/", id, "/variable").Add("variable", name),
                "channels.getVariable", id, Json.Variable, null, ct).ConfigureAwait(false);
            return v.Value;
        }
        catch (AriNotFoundException e) when (e.AriMessage.Contains("variable", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
    }

    public Task SetVariableAsync(string id, string name, string? value, CancellationToken ct = default) =>
        Post(Query.Path("channels/", id, "/variable").Add("variable", name).Add("value", value), "channels.setVariable", id, ct);

    private Task Post(string path, string operation, string id, CancellationToken ct) =>
        _http.SendAsync(HttpMethod.Post, path, operation, id, null, ct);

    private Task Delete(string path, string operation, string id, CancellationToken ct) =>
        _http.SendAsync(HttpMethod.Delete, path, operation, id, null, ct);

    private static HttpContent? Variables(IReadOnlyDictionary<string, string>? variables) =>
        variables is null || variables.Count == 0 ? null : AriHttp.Json(new VariablesBody(variables), Json.VariablesBody);
}
