using PbxRouter.Ari.Events;

namespace PbxRouter.Ari;

/// <summary>Connection settings of an <see cref="AriClient"/> (ARI base URL, credentials, Stasis application, limits).</summary>
public sealed class AriOptions
{
    /// <summary>ARI root, e.g. http://127.0.0.1:8088/ari/ (a missing trailing slash is added).</summary>
    public Uri BaseUrl { get; set; } = new("http://127.0.0.1:8088/ari/");

    public string User { get; set; } = "";

    /// <summary>Never logged; <see cref="ToString"/> masks it.</summary>
    public string Password { get; set; } = "";

    /// <summary>Stasis application name the event WebSocket registers.</summary>
    public string Application { get; set; } = "";

    /// <summary>HTTP connection pool size and concurrent request bound; keep well under http.conf sessionlimit (100).</summary>
    public int MaxConnections { get; set; } = 16;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromSeconds(0.5);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Event types allowed by the application event filter; defaults to <see cref="DefaultSubscribedEvents"/>: the types
    /// <see cref="AriEventDecoder"/> decodes, less those no flow reads.
    /// </summary>
    public IReadOnlyList<string> SubscribedEvents { get; set; } = DefaultSubscribedEvents;

    /// <summary>
    /// Event types no flow reads, left out of the default filter. ChannelVarset: Asterisk sends one per variable set on a
    /// channel in Stasis, among them five RTPAUDIOQOS* on every hang-up of a call with RTP: more than half of an
    /// answer-only call's events (docs/benchmarks.md).
    /// </summary>
    public static IReadOnlyList<string> UnusedEvents { get; } = ["ChannelVarset"];

    /// <summary>The decoded event types (<see cref="AriEventDecoder.KnownTypes"/>) less <see cref="UnusedEvents"/>.</summary>
    public static IReadOnlyList<string> DefaultSubscribedEvents { get; } = [.. AriEventDecoder.KnownTypes.Except(UnusedEvents)];

    public override string ToString() => $"{BaseUrl} app={Application} user={User} password=***";

    internal Uri NormalizedBaseUrl =>
        BaseUrl.AbsoluteUri.EndsWith('/') ? BaseUrl : new Uri(BaseUrl.AbsoluteUri + "/");

    internal void Validate()
    {
        if (!BaseUrl.IsAbsoluteUri) throw new ArgumentException("AriOptions.BaseUrl must be absolute, e.g. http://127.0.0.1:8088/ari/");
        if (string.IsNullOrWhiteSpace(Application)) throw new ArgumentException("AriOptions.Application is required");
        if (MaxConnections < 1) throw new ArgumentException("AriOptions.MaxConnections must be at least 1");
        if (ReconnectBaseDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectBaseDelay)
            throw new ArgumentException("AriOptions reconnect delays must satisfy 0 < ReconnectBaseDelay <= ReconnectMaxDelay");
    }
}
