using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari.Events;
using PbxRouter.Ari.Transport;
using Polly;
using Polly.Retry;

namespace PbxRouter.Ari;

/// <summary>The application's event WebSocket: connects, decodes and dispatches events, reconnects forever with backoff.</summary>
public sealed partial class AriEventStream
{
    private readonly AriOptions _options;
    private readonly ApplicationsResource _applications;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _reconnect;
    private AriHealth _health;
    private bool _everConnected;
    private int _running;
    private long _received, _skipped, _failed, _reconnects;

    internal AriEventStream(AriOptions options, ApplicationsResource applications, ILogger log, TimeProvider time,
        Func<double>? randomizer = null)
    {
        _options = options;
        _applications = applications;
        _log = log;
        _time = time;
        _health = new AriHealth(AriConnectionState.Disconnected, time.GetUtcNow(), 0, null);
        _reconnect = ReconnectPolicy.Build(options, time, OnRetryAsync, randomizer);
    }

    /// <summary>Raised on the reading loop for every decoded event: keep handlers short and non-blocking (e.g. CallEventQueues.Post).</summary>
    public event Action<AriEvent>? EventReceived;

    /// <summary>Raised whenever <see cref="Health"/> changes.</summary>
    public event Action<AriHealth>? HealthChanged;

    /// <summary>Called after each successful connection (isReconnect false the first time), concurrently with reading,
    /// once the event filter is applied. After a reconnect, resync from Applications.GetAsync: events were lost meanwhile.</summary>
    public Func<bool, CancellationToken, Task>? OnConnected { get; set; }

    public AriHealth Health => Volatile.Read(ref _health);

    /// <summary>Decoded events dispatched.</summary>
    public long EventsReceived => Interlocked.Read(ref _received);

    /// <summary>Frames of event types not decoded (skipped on purpose).</summary>
    public long EventsSkipped => Interlocked.Read(ref _skipped);

    /// <summary>Connections established again after one was lost or failed (the first connection is not counted).</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Frames that could not be decoded.</summary>
    public long DecodeFailures => Interlocked.Read(ref _failed);

    internal Uri EventsUri
    {
        get
        {
            var b = new UriBuilder(new Uri(_options.NormalizedBaseUrl, "events"))
            {
                Scheme = _options.NormalizedBaseUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
                Query = $"app={Uri.EscapeDataString(_options.Application)}&subscribeAll=false",
            };
            return b.Uri;
        }
    }

    /// <summary>Runs until <paramref name="ct"/> is cancelled: connect, read, reconnect. Never throws on connection failures.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1) throw new InvalidOperationException("AriEventStream.RunAsync is already running");
        try
        {
            SetHealth(_everConnected ? AriConnectionState.Reconnecting : AriConnectionState.Connecting, 0, null);
            while (!ct.IsCancellationRequested)
            {
                // Each execution starts a fresh backoff: it returns only after a connection that was up long enough.
                var end = await _reconnect.ExecuteAsync(static (self, token) => self.RunSessionAsync(token), this, ct).ConfigureAwait(false);
                if (end == SessionEnd.Replaced)
                {
                    // Another controller registered our application; wait before taking it back so two
                    // instances do not fight for it every few milliseconds.
                    await Task.Delay(_options.ReconnectMaxDelay, _time, ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stop requested.
        }
        finally
        {
            SetHealth(AriConnectionState.Stopped, Health.ReconnectAttempts, Health.LastError);
            Volatile.Write(ref _running, 0);
        }
    }

    private async ValueTask<SessionEnd> RunSessionAsync(CancellationToken ct)
    {
        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", AriHttp.BasicAuth(_options).ToString());
        ws.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
        ws.Options.KeepAliveTimeout = TimeSpan.FromSeconds(10);
        await ConnectAsync(ws, ct).ConfigureAwait(false);

        bool isReconnect = _everConnected;
        _everConnected = true;
        if (isReconnect) Interlocked.Increment(ref _reconnects);
        long connectedAt = _time.GetTimestamp();
        SetHealth(AriConnectionState.Connected, 0, null);
        LogConnected(_options.Application, EventsUri.GetLeftPart(UriPartial.Path), isReconnect);

        using var sessionCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var setup = AfterConnectAsync(isReconnect, sessionCts.Token);
        (SessionEnd end, string reason) result;
        try
        {
            result = await ReadLoopAsync(ws, ct).ConfigureAwait(false);
        }
        finally
        {
            await sessionCts.CancelAsync().ConfigureAwait(false);
            await setup.ConfigureAwait(false);
        }
        ct.ThrowIfCancellationRequested();

        var lived = _time.GetElapsedTime(connectedAt);
        LogDisconnected(result.reason, lived.TotalSeconds);
        SetHealth(AriConnectionState.Reconnecting, 0, result.reason);
        if (result.end == SessionEnd.Replaced || lived >= _options.ReconnectMaxDelay) return result.end;
        // A connection that dropped quickly counts as a failed attempt, so a flapping server gets backoff.
        throw new WebSocketException(result.reason);
    }

    private async Task ConnectAsync(ClientWebSocket ws, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await ws.ConnectAsync(EventsUri, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"WebSocket connect to {EventsUri.GetLeftPart(UriPartial.Path)} timed out");
        }
    }

    private async Task AfterConnectAsync(bool isReconnect, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            await _applications.SetEventFilterAsync(_options.Application, _options.SubscribedEvents, ct).ConfigureAwait(false);
        }
        catch (AriException e) when (e.StatusCode is 404 or 405 or 501)
        {
            LogFilterUnsupported(e.StatusCode);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFilterFailed(e);
        }
        try
        {
            if (OnConnected is { } callback) await callback(isReconnect, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The connection ended while the handler ran.
        }
        catch (Exception e)
        {
            LogOnConnectedFailed(e, isReconnect);
        }
    }

    private ValueTask OnRetryAsync(OnRetryArguments<object> args)
    {
        string error = args.Outcome.Exception?.Message ?? "connection lost";
        SetHealth(AriConnectionState.Reconnecting, args.AttemptNumber + 1, error);
        LogRetry(args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, error);
        return ValueTask.CompletedTask;
    }

    private void SetHealth(AriConnectionState state, int attempts, string? error)
    {
        var now = _time.GetUtcNow();
        var old = Health;
        var health = new AriHealth(state, state == old.State ? old.Since : now, attempts, error);
        Volatile.Write(ref _health, health);
        try
        {
            HealthChanged?.Invoke(health);
        }
        catch (Exception e)
        {
            LogHandlerFailed(e, nameof(HealthChanged));
        }
    }

    private enum SessionEnd
    {
        Dropped,
        Replaced,
    }
}
