using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari.Json;
using Polly;

namespace PbxRouter.Ari.Transport;

/// <summary>
/// The one HttpClient of an AriClient: Basic auth, a bounded number of concurrent requests, typed errors, a timeout per
/// attempt. Reads (GET) are retried on 5xx and timeouts (<see cref="AriRetry"/>); commands are sent once.
/// </summary>
internal sealed class AriHttp : IDisposable
{
    private readonly ConcurrentDictionary<string, long> _sent = new(StringComparer.Ordinal);
    private readonly ResiliencePipeline _reads;
    private long _failed, _retried;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    public AriHttp(AriOptions options, TimeProvider time, ILogger log, HttpMessageHandler? handler)
    {
        bool ownsHandler = handler is null;
        handler ??= new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.MaxConnections,
            // Asterisk closes idle HTTP sessions after 15 s (http.conf session_keep_alive): retire ours first.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = options.RequestTimeout,
        };
        _http = new HttpClient(handler, ownsHandler)
        {
            BaseAddress = options.NormalizedBaseUrl,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Authorization = BasicAuth(options);
        _slots = new SemaphoreSlim(options.MaxConnections, options.MaxConnections);
        _timeout = options.RequestTimeout;
        _time = time;
        _log = log;
        _reads = AriRetry.ReadPipeline(time, log);
    }

    /// <summary>Told the duration of each attempt (metrics); null: nobody.</summary>
    public IAriRequestObserver? Observer { get; set; }

    /// <summary>Requests sent so far (retries included), by operation ("endpoints.get"...), and failed/retried totals.</summary>
    public AriRequestCounters Counters => new(new Dictionary<string, long>(_sent), Interlocked.Read(ref _failed), Interlocked.Read(ref _retried));

    public static AuthenticationHeaderValue BasicAuth(AriOptions o) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{o.User}:{o.Password}")));

    public async Task<T> SendAsync<T>(HttpMethod method, string path, string operation, string? resourceId,
        JsonTypeInfo<T> responseType, HttpContent? body, CancellationToken ct)
    {
        return await SendCoreAsync(method, path, operation, resourceId, body, async (response, token) =>
        {
            await using var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(stream, responseType, token).ConfigureAwait(false)
                ?? throw new AriException(operation, resourceId, (int)response.StatusCode, "empty response body");
        }, ct).ConfigureAwait(false);
    }

    public Task SendAsync(HttpMethod method, string path, string operation, string? resourceId, HttpContent? body, CancellationToken ct) =>
        SendCoreAsync(method, path, operation, resourceId, body, (_, _) => Task.FromResult(true), ct);

    /// <summary>Downloads a body fully (the request slot is held only while reading it).</summary>
    public Task<Stream> GetStreamAsync(string path, string operation, string? resourceId, CancellationToken ct) =>
        SendCoreAsync<Stream>(HttpMethod.Get, path, operation, resourceId, null, async (response, token) =>
        {
            var copy = new MemoryStream();
            await response.Content.CopyToAsync(copy, token).ConfigureAwait(false);
            copy.Position = 0;
            return copy;
        }, ct);

    public static HttpContent Json<T>(T value, JsonTypeInfo<T> type) =>
        new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type))
        {
            Headers = { ContentType = new MediaTypeHeaderValue("application/json") },
        };

    private async Task<T> SendCoreAsync<T>(HttpMethod method, string path, string operation, string? resourceId,
        HttpContent? body, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        if (method != HttpMethod.Get && method != HttpMethod.Head)
            return await AttemptAsync(method, path, operation, resourceId, body, read, ct).ConfigureAwait(false);
        var first = true;
        return await _reads.ExecuteAsync(async token =>
        {
            if (!first) Interlocked.Increment(ref _retried);
            first = false;
            return await AttemptAsync(method, path, operation, resourceId, body, read, token).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
    }

    private async Task<T> AttemptAsync<T>(HttpMethod method, string path, string operation, string? resourceId,
        HttpContent? body, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        try
        {
            return await SendOnceAsync(method, path, operation, resourceId, body, read, ct).ConfigureAwait(false);
        }
        catch (AriException e) when (AriRetry.IsTransient(e))
        {
            Interlocked.Increment(ref _failed);
            if (method == HttpMethod.Get) throw; // the read pipeline logs its retries
            // A command that failed this way may or may not have been carried out: it is not repeated here.
            _log.LogWarning("ARI {Method} {Path} failed, not retried (a command is sent once): {Error}", method, path, e.Message);
            throw;
        }
    }

    private async Task<T> SendOnceAsync<T>(HttpMethod method, string path, string operation, string? resourceId,
        HttpContent? body, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var token = linked.Token;
        long started = _time.GetTimestamp();
        try
        {
            await _slots.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new AriUnavailableException(operation, resourceId, $"no free ARI connection within {_timeout.TotalSeconds:0.#} s");
        }
        long sentAt = _time.GetTimestamp();
        bool failed = true;
        try
        {
            _sent.AddOrUpdate(operation, 1, static (_, n) => n + 1);
            using var request = new HttpRequestMessage(method, path) { Content = body };
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            if (_log.IsEnabled(LogLevel.Debug))
                _log.LogDebug("ARI {Method} {Path} -> {Status} in {Ms:0} ms", method, path, (int)response.StatusCode,
                    _time.GetElapsedTime(started).TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
                throw AriException.FromStatus(operation, resourceId, (int)response.StatusCode, await ErrorMessageAsync(response, token).ConfigureAwait(false));
            var result = await read(response, token).ConfigureAwait(false);
            failed = false;
            return result;
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new AriUnavailableException(operation, resourceId, $"no answer within {_timeout.TotalSeconds:0.#} s", e);
        }
        catch (HttpRequestException e)
        {
            throw new AriUnavailableException(operation, resourceId, e.Message, e);
        }
        catch (JsonException e)
        {
            throw new AriException(operation, resourceId, 200, $"unreadable response: {e.Message}", e);
        }
        finally
        {
            _slots.Release();
            Observer?.Completed(operation, method, _time.GetElapsedTime(sentAt), failed);
        }
    }

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken ct)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return response.ReasonPhrase ?? response.StatusCode.ToString();
        }
        if (text.Length > 0 && text[0] == '{')
        {
            try
            {
                if (JsonSerializer.Deserialize(text, AriJsonContext.Default.ErrorBody)?.Message is { } message) return message;
            }
            catch (JsonException)
            {
                // Not ARI's {"message": ...}: fall back to the raw text.
            }
        }
        return text.Length > 0 ? text[..Math.Min(text.Length, 500)] : response.ReasonPhrase ?? ((HttpStatusCode)response.StatusCode).ToString();
    }

    public void Dispose()
    {
        _http.Dispose();
        _slots.Dispose();
    }
}
