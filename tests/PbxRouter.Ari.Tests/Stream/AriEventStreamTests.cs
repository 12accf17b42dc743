using System.Collections.Concurrent;
using System.Threading.Channels;
using PbxRouter.Ari.Events;
using PbxRouter.Ari.Tests.Support;
using static PbxRouter.Ari.Tests.Support.AriSamples;

namespace PbxRouter.Ari.Tests.Stream;

/// <summary>Fault injection against a fake ARI WebSocket server on loopback.</summary>
public class AriEventStreamTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private FakeAriServer _server = null!;
    private AriClient _client = null!;
    private Channel<AriEvent> _events = null!;
    private Channel<bool> _connected = null!;
    private ConcurrentQueue<AriConnectionState> _states = null!;
    private ListLogger _log = null!;
    private CancellationTokenSource _cts = null!;
    private Task _run = null!;

    [SetUp]
    public void SetUp()
    {
        _events = System.Threading.Channels.Channel.CreateUnbounded<AriEvent>();
        _connected = System.Threading.Channels.Channel.CreateUnbounded<bool>();
        _states = new ConcurrentQueue<AriConnectionState>();
        _log = new ListLogger();
        _server = new FakeAriServer();
        var options = TestClients.Options(_server.BaseUrl.ToString());
        options.ReconnectBaseDelay = TimeSpan.FromMilliseconds(20);
        options.ReconnectMaxDelay = TimeSpan.FromMilliseconds(300);
        _client = new AriClient(options, _log);
        _client.EventReceived += e => _events.Writer.TryWrite(e);
        _client.Events.HealthChanged += h => _states.Enqueue(h.State);
        _client.OnConnected = (isReconnect, _) =>
        {
            _connected.Writer.TryWrite(isReconnect);
            return Task.CompletedTask;
        };
        _cts = new CancellationTokenSource();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _cts.CancelAsync();
        await _client.DisposeAsync();
        if (TestContext.CurrentContext.Result.FailCount > 0)
        {
            foreach (var entry in _log.Entries) await TestContext.Out.WriteLineAsync($"{entry.Level}: {entry.Message} {entry.Error?.Message}");
        }
        await _server.DisposeAsync();
        _cts.Dispose();
    }

    private void Start() => _run = _client.RunAsync(_cts.Token);

    private async Task<AriEvent> NextEventAsync() => await _events.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

    private async Task<bool> NextConnectedAsync() => await _connected.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

    [Test]
    public async Task Connect_UsesBasicAuthAndAppQuery_AppliesFilter_AndDeliversEvents()
    {
        Start();
        var conn = await _server.NextConnectionAsync(Timeout);

        Assert.That(conn.Url.AbsolutePath, Is.EqualTo("/ari/events"));
        Assert.That(conn.Url.Query, Is.EqualTo("?app=pbxrouter&subscribeAll=false"));
        Assert.That(conn.Authorization, Is.EqualTo("Basic " + Convert.ToBase64String("pbxrouter:s3cret"u8.ToArray())));
        Assert.That(await NextConnectedAsync(), Is.False);
        Assert.That(_server.RestRequests, Has.Some.StartsWith("PUT /ari/applications/pbxrouter/eventFilter {\"allowed\":[{\"type\":\"StasisStart\"}"));
        Assert.That(_client.Health.State, Is.EqualTo(AriConnectionState.Connected));

        await conn.SendAsync(StasisStartJson);
        var e = (StasisStart)await NextEventAsync();
        Assert.That(e.Channel.Caller.Number, Is.EqualTo("+33612345678"));
    }

    [Test]
    public async Task Connect_ByDefault_FilterLeavesOutChannelVarset_AndKeepsTheEventsFlowsRead()
    {
        Start();
        await _server.NextConnectionAsync(Timeout);
        Assert.That(await NextConnectedAsync(), Is.False);

        var filter = _server.RestRequests.Single(r => r.StartsWith("PUT /ari/applications/pbxrouter/eventFilter ", StringComparison.Ordinal));
        Assert.That(filter, Does.Not.Contain("\"ChannelVarset\""));
        foreach (var type in new[] { "StasisStart", "StasisEnd", "ChannelHangupRequest", "ChannelDestroyed", "ChannelStateChange", "ChannelDtmfReceived", "PlaybackFinished", "Dial" })
            Assert.That(filter, Does.Contain($"{{\"type\":\"{type}\"}}"), type);
    }

    [Test]
    public async Task GarbageAndUnknownFrames_AreSkipped_AndTheLoopGoesOn()
    {
        Start();
        var conn = await _server.NextConnectionAsync(Timeout);

        await conn.SendAsync("{not json");
        await conn.SendAsync(UnknownJson);
        await conn.SendAsync("""{"type":"StasisStart","channel":42}""");
        await conn.SendAsync(DtmfJson);

        Assert.That(await NextEventAsync(), Is.TypeOf<ChannelDtmfReceived>());
        Assert.That(_client.Events.DecodeFailures, Is.EqualTo(2));
        Assert.That(_client.Events.EventsSkipped, Is.EqualTo(1));
        Assert.That(_client.Health.State, Is.EqualTo(AriConnectionState.Connected));
    }

    [Test]
    public async Task LargeFragmentedFrame_IsReassembledInTheGrowingBuffer()
    {
        Start();
        var conn = await _server.NextConnectionAsync(Timeout);
        var bigValue = new string('x', 100_000);
        var json = StasisStartJson.Replace("\"tilleuls\"", $"\"{bigValue}\"");

        await conn.SendFragmentedAsync(json, 7000);
        await conn.SendAsync(DtmfJson);

        var start = (StasisStart)await NextEventAsync();
        Assert.That(start.Channel.ChannelVars!["PJSIP_HEADER(read,X-Practice)"], Has.Length.EqualTo(100_000));
        Assert.That(await NextEventAsync(), Is.TypeOf<ChannelDtmfReceived>());
    }

    [Test]
    public async Task ServerDropsSocket_ClientReconnects_ResyncHookFires_AndEventsFlowAgain()
    {
        Start();
        var first = await _server.NextConnectionAsync(Timeout);
        Assert.That(await NextConnectedAsync(), Is.False);
        await first.SendAsync(StasisStartJson);
        Assert.That(await NextEventAsync(), Is.TypeOf<StasisStart>());

        first.Drop();
        var second = await _server.NextConnectionAsync(Timeout);
        Assert.That(await NextConnectedAsync(), Is.True, "OnConnected(isReconnect: true) lets the engine resync");
        await second.SendAsync(DtmfJson);

        Assert.That(await NextEventAsync(), Is.TypeOf<ChannelDtmfReceived>());
        var states = _states.ToArray();
        int firstConnected = Array.IndexOf(states, AriConnectionState.Connected);
        Assert.That(states[..(firstConnected + 1)], Is.EqualTo(new[] { AriConnectionState.Connecting, AriConnectionState.Connected }));
        Assert.That(states[(firstConnected + 1)..], Does.Contain(AriConnectionState.Reconnecting));
        Assert.That(states[^1], Is.EqualTo(AriConnectionState.Connected));
        Assert.That(_client.Health.ReconnectAttempts, Is.Zero);
    }

    [Test]
    public async Task ServerClosesSocket_ClientReconnects()
    {
        Start();
        var first = await _server.NextConnectionAsync(Timeout);
        await NextConnectedAsync();

        await first.Socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "shutting down", CancellationToken.None);

        var second = await _server.NextConnectionAsync(Timeout);
        Assert.That(await NextConnectedAsync(), Is.True);
        await second.SendAsync(StasisEndJson);
        Assert.That(await NextEventAsync(), Is.TypeOf<StasisEnd>());
    }

    [Test]
    public async Task ApplicationReplaced_IsDispatched_ThenTheClientReconnectsAfterTheMaxDelay()
    {
        Start();
        var first = await _server.NextConnectionAsync(Timeout);
        await NextConnectedAsync();

        await first.SendAsync(ApplicationReplacedJson);

        Assert.That(await NextEventAsync(), Is.TypeOf<ApplicationReplaced>());
        await _server.NextConnectionAsync(Timeout);
        Assert.That(await NextConnectedAsync(), Is.True);
    }

    [Test]
    public async Task AsteriskDown_HealthSaysReconnecting_WithAttemptsAndError_ThenStopped()
    {
        await _server.DisposeAsync();
        Start();

        while (_client.Health.ReconnectAttempts < 3) await Task.Delay(10).WaitAsync(Timeout);
        Assert.That(_client.Health.State, Is.EqualTo(AriConnectionState.Reconnecting));
        Assert.That(_client.Health.LastError, Is.Not.Null.And.Not.Empty);

        await _cts.CancelAsync();
        await _run.WaitAsync(Timeout);
        Assert.That(_client.Health.State, Is.EqualTo(AriConnectionState.Stopped));
    }

    [Test]
    public async Task Cancel_StopsTheLoop()
    {
        Start();
        await _server.NextConnectionAsync(Timeout);
        await NextConnectedAsync();

        await _cts.CancelAsync();

        await _run.WaitAsync(Timeout);
        Assert.That(_client.Health.State, Is.EqualTo(AriConnectionState.Stopped));
    }
}
