using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace PbxRouter.Ari.Tests.Support;

/// <summary>A tiny ARI on 127.0.0.1 over a raw TcpListener: accepts the events WebSocket (so a test can cut the
/// TCP connection like a crashed Asterisk) and answers the few REST calls the stream makes.</summary>
internal sealed class FakeAriServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly System.Threading.Channels.Channel<Connection> _connections =
        System.Threading.Channels.Channel.CreateUnbounded<Connection>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeAriServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/ari/");

    /// <summary>False for a REST request ("METHOD path") the server must leave unanswered (the connection stays open).</summary>
    public Func<string, bool> AnswersRest { get; set; } = _ => true;

    /// <summary>REST requests received: "METHOD path?query body".</summary>
    public ConcurrentQueue<string> RestRequests { get; } = new();

    public async Task<Connection> NextConnectionAsync(TimeSpan timeout) =>
        await _connections.Reader.ReadAsync().AsTask().WaitAsync(timeout);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient tcp;
            try
            {
                tcp = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(tcp));
        }
    }

    private async Task HandleAsync(TcpClient tcp)
    {
        try
        {
            var stream = tcp.GetStream();
            var (requestLine, headers) = await ReadHeadAsync(stream);
            var parts = requestLine.Split(' ');
            if (headers.TryGetValue("upgrade", out var upgrade) && upgrade.Equals("websocket", StringComparison.OrdinalIgnoreCase))
            {
                string accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(headers["sec-websocket-key"] + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
                await WriteAsync(stream, $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n");
                var ws = WebSocket.CreateFromStream(stream, isServer: true, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
                headers.TryGetValue("authorization", out var auth);
                await _connections.Writer.WriteAsync(new Connection(ws, new Uri(BaseUrl, parts[1]), auth, tcp));
                return;
            }
            int length = headers.TryGetValue("content-length", out var l) ? int.Parse(l) : 0;
            var body = new byte[length];
            await stream.ReadExactlyAsync(body);
            RestRequests.Enqueue($"{parts[0]} {parts[1]} {Encoding.UTF8.GetString(body)}".TrimEnd());
            if (!AnswersRest($"{parts[0]} {parts[1]}"))
            {
                await Task.Delay(Timeout.Infinite, _stop.Token); // a hung Asterisk: the request never gets an answer
                return;
            }
            var json = """{"name":"pbxrouter","channel_ids":["c1"],"bridge_ids":[],"endpoint_ids":[],"device_names":[],"events_allowed":[],"events_disallowed":[]}""";
            await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(json)}\r\nConnection: close\r\n\r\n{json}");
            tcp.Dispose();
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            tcp.Dispose();
        }
    }

    private static async Task<(string RequestLine, Dictionary<string, string> Headers)> ReadHeadAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0) throw new IOException("client closed");
            head.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var headers = lines.Skip(1).Select(h => h.Split(':', 2)).ToDictionary(h => h[0].Trim().ToLowerInvariant(), h => h[1].Trim());
        return (lines[0], headers);
    }

    private static Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
    }

    /// <summary>One accepted events WebSocket.</summary>
    public sealed record Connection(WebSocket Socket, Uri Url, string? Authorization, TcpClient Tcp)
    {
        public Task SendAsync(string json) =>
            Socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

        /// <summary>Sends one message split into fragments of <paramref name="size"/> bytes.</summary>
        public async Task SendFragmentedAsync(string json, int size)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            for (int i = 0; i < bytes.Length; i += size)
            {
                int n = Math.Min(size, bytes.Length - i);
                await Socket.SendAsync(bytes.AsMemory(i, n), WebSocketMessageType.Text, i + n == bytes.Length, CancellationToken.None);
            }
        }

        /// <summary>Cuts the TCP connection without a close handshake, like a crashed or restarted Asterisk.</summary>
        public void Drop()
        {
            Tcp.Client.LingerState = new LingerOption(true, 0); // RST, not FIN
            Tcp.Dispose();
        }
    }
}
