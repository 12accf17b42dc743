using Microsoft.Extensions.Logging;
using PbxRouter.Ari.Events;
using PbxRouter.Ari.Transport;

namespace PbxRouter.Ari;

/// <summary>Client of one Asterisk's ARI: typed REST resources on one bounded HttpClient, plus the application's event stream.</summary>
public sealed class AriClient : IAsyncDisposable
{
    private readonly AriHttp _http;
    private readonly CancellationTokenSource _disposing = new();
    private Task? _run;

    public AriClient(AriOptions options, ILoggerFactory loggerFactory, TimeProvider? time = null, HttpMessageHandler? handler = null)
        : this(options, loggerFactory, time, handler, null)
    {
    }

    internal AriClient(AriOptions options, ILoggerFactory loggerFactory, TimeProvider? time, HttpMessageHandler? handler, Func<double>? randomizer)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.Validate();
        time ??= TimeProvider.System;
        Options = options;
        _http = new AriHttp(options, time, loggerFactory.CreateLogger("PbxRouter.Ari.Http"), handler);
        Channels = new ChannelsResource(_http, options);
        Bridges = new BridgesResource(_http);
        Playbacks = new PlaybacksResource(_http);
        Recordings = new RecordingsResource(_http);
        DeviceStates = new DeviceStatesResource(_http);
        Applications = new ApplicationsResource(_http);
        AsteriskInfo = new AsteriskResource(_http);
        Events = new AriEventStream(options, Applications, loggerFactory.CreateLogger<AriEventStream>(), time, randomizer);
    }

    public AriOptions Options { get; }
    public ChannelsResource Channels { get; }
    public BridgesResource Bridges { get; }
    public PlaybacksResource Playbacks { get; }
    public RecordingsResource Recordings { get; }
    public DeviceStatesResource DeviceStates { get; }
    public ApplicationsResource Applications { get; }
    /// <summary>System info, modules, endpoints and dynamic configuration.</summary>
    public AsteriskResource AsteriskInfo { get; }

    /// <summary>REST requests sent so far, by operation, with failures and read retries (metrics, tests).</summary>
    public AriRequestCounters Requests => _http.Counters;

    /// <summary>Told the duration of every REST attempt (metrics); null: nobody.</summary>
    public IAriRequestObserver? RequestObserver
    {
        get => _http.Observer;
        set => _http.Observer = value;
    }

    /// <summary>The application's event WebSocket.</summary>
    public AriEventStream Events { get; }

    /// <summary>Health of the event connection (same as Events.Health).</summary>
    public AriHealth Health => Events.Health;

    /// <summary>Same as Events.OnConnected: resync hook called after every (re)connection.</summary>
    public Func<bool, CancellationToken, Task>? OnConnected
    {
        get => Events.OnConnected;
        set => Events.OnConnected = value;
    }

    /// <summary>Same as Events.EventReceived: raised on the reading loop for each decoded event.</summary>
    public event Action<AriEvent>? EventReceived
    {
        add => Events.EventReceived += value;
        remove => Events.EventReceived -= value;
    }

    /// <summary>Runs the event stream until <paramref name="ct"/> is cancelled or the client is disposed.</summary>
    public Task RunAsync(CancellationToken ct)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposing.Token);
        var run = RunCoreAsync(linked);
        _run = run;
        return run;
    }

    private async Task RunCoreAsync(CancellationTokenSource linked)
    {
        using (linked)
        {
            await Events.RunAsync(linked.Token).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposing.IsCancellationRequested) return;
        await _disposing.CancelAsync().ConfigureAwait(false);
        if (_run is { } run)
        {
            try
            {
                await run.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Stopping: the run loop's outcome no longer matters.
            }
        }
        _http.Dispose();
        _disposing.Dispose();
    }
}
