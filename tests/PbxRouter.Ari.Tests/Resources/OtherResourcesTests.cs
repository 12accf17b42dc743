using System.Net;
using PbxRouter.Ari.Tests.Support;

namespace PbxRouter.Ari.Tests.Resources;

public class OtherResourcesTests
{
    private const string BridgeJson =
        """{"id":"call-1","technology":"simple_bridge","bridge_type":"mixing","bridge_class":"stasis","creator":"Stasis","name":"call","channels":[],"creationtime":"2025-01-20T10:15:43.000+0100","video_mode":"none"}""";

    private FakeAriHandler _ari = null!;
    private AriClient _client = null!;

    [SetUp]
    public void SetUp()
    {
        _ari = new FakeAriHandler();
        _client = TestClients.Create(_ari);
    }

    [TearDown]
    public async Task TearDown() => await _client.DisposeAsync();

    private string Sent => $"{_ari.Last.Method} {_ari.Last.PathAndQuery}";

    [Test]
    public async Task Bridges_CreateAddPlayAndDestroy()
    {
        _ari.Reply(HttpStatusCode.OK, BridgeJson);
        var bridge = await _client.Bridges.CreateAsync("mixing,dtmf_events", "call-1", "call");
        Assert.That(bridge.BridgeType, Is.EqualTo("mixing"));
        Assert.That(Sent, Is.EqualTo("POST bridges/call-1?type=mixing%2Cdtmf_events&name=call"));

        await _client.Bridges.CreateAsync("holding");
        Assert.That(Sent, Is.EqualTo("POST bridges?type=holding"));

        _ari.Reply(HttpStatusCode.NoContent);
        await _client.Bridges.AddChannelAsync("call-1", ["c1", "leg-1"]);
        Assert.That(Sent, Is.EqualTo("POST bridges/call-1/addChannel?channel=c1%2Cleg-1"));
        await _client.Bridges.AddChannelAsync("hold", "c1", "announcer");
        Assert.That(Sent, Is.EqualTo("POST bridges/hold/addChannel?channel=c1&role=announcer"));
        await _client.Bridges.RemoveChannelAsync("call-1", "c1");
        Assert.That(Sent, Is.EqualTo("POST bridges/call-1/removeChannel?channel=c1"));
        await _client.Bridges.StartMohAsync("hold", "default");
        Assert.That(Sent, Is.EqualTo("POST bridges/hold/moh?mohClass=default"));
        await _client.Bridges.StopMohAsync("hold");
        Assert.That(Sent, Is.EqualTo("DELETE bridges/hold/moh"));
        await _client.Bridges.DestroyAsync("call-1");
        Assert.That(Sent, Is.EqualTo("DELETE bridges/call-1"));

        _ari.Reply(HttpStatusCode.OK, """{"id":"ann-1","media_uri":"sound:x","target_uri":"bridge:hold","state":"queued"}""");
        var playback = await _client.Bridges.PlayAsync("hold", "sound:x", "ann-1");
        Assert.That(Sent, Is.EqualTo("POST bridges/hold/play/ann-1?media=sound%3Ax"));
        Assert.That(playback.TargetBridgeId, Is.EqualTo("hold"));
    }

    [Test]
    public async Task PlaybacksAndRecordings()
    {
        await _client.Playbacks.StopAsync("p1");
        Assert.That(Sent, Is.EqualTo("DELETE playbacks/p1"));
        await _client.Recordings.StopLiveAsync("vm/1");
        Assert.That(Sent, Is.EqualTo("POST recordings/live/vm%2F1/stop"));
        await _client.Recordings.DeleteStoredAsync("vm/1");
        Assert.That(Sent, Is.EqualTo("DELETE recordings/stored/vm%2F1"));

        _ari.Reply(HttpStatusCode.OK, """[{"name":"vm/1","format":"wav"}]""");
        Assert.That((await _client.Recordings.ListStoredAsync()).Single().Name, Is.EqualTo("vm/1"));

        _ari.Respond = _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([1, 2, 3]) });
        await using var file = await _client.Recordings.GetStoredFileAsync("vm/1");
        using var copy = new MemoryStream();
        await file.CopyToAsync(copy);
        Assert.That(copy.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(Sent, Is.EqualTo("GET recordings/stored/vm%2F1/file"));
    }

    [Test]
    public async Task DeviceStatesAndApplications()
    {
        await _client.DeviceStates.UpdateAsync("Stasis:reception", "INUSE");
        Assert.That(Sent, Is.EqualTo("PUT deviceStates/Stasis%3Areception?deviceState=INUSE"));

        _ari.Reply(HttpStatusCode.OK,
            """{"name":"pbxrouter","channel_ids":["c1","c2"],"bridge_ids":["b1"],"endpoint_ids":[],"device_names":["Stasis:reception"],"events_allowed":[{"type":"StasisStart"}],"events_disallowed":[]}""");
        var app = await _client.Applications.GetAsync("pbxrouter");
        Assert.That(app.ChannelIds, Is.EqualTo(new[] { "c1", "c2" }));
        Assert.That(app.BridgeIds, Is.EqualTo(new[] { "b1" }));
        Assert.That(app.DeviceNames, Is.EqualTo(new[] { "Stasis:reception" }));

        await _client.Applications.SetEventFilterAsync("pbxrouter", ["StasisStart", "StasisEnd"]);
        Assert.That(Sent, Is.EqualTo("PUT applications/pbxrouter/eventFilter"));
        Assert.That(_ari.Last.Body, Is.EqualTo("""{"allowed":[{"type":"StasisStart"},{"type":"StasisEnd"}]}"""));
    }

    [Test]
    public async Task AsteriskInfoEndpointsAndDynamicConfig()
    {
        _ari.Reply(HttpStatusCode.OK,
            """{"system":{"version":"22.10.1","entity_id":"02:42"},"status":{"startup_time":"2025-01-20T09:00:00.000+0100","last_reload_time":"2025-01-20T09:00:00.000+0100"},"config":{"name":"","default_language":"fr","setid":{"user":"asterisk","group":"asterisk"}}}""");
        var info = await _client.AsteriskInfo.GetInfoAsync();
        Assert.That(info.System!.Version, Is.EqualTo("22.10.1"));
        Assert.That(info.Config!.DefaultLanguage, Is.EqualTo("fr"));
        Assert.That(info.Status!.StartupTime.Offset, Is.EqualTo(TimeSpan.FromHours(1)));

        _ari.Reply(HttpStatusCode.OK, """[{"technology":"PJSIP","resource":"alice","state":"online","channel_ids":[]}]""");
        Assert.That((await _client.AsteriskInfo.ListEndpointsAsync()).Single().State, Is.EqualTo("online"));

        _ari.Reply(HttpStatusCode.OK, """[{"attribute":"max_contacts","value":"1"}]""");
        var tuples = await _client.AsteriskInfo.PutObjectAsync("res_pjsip", "aor", "alice", [new("max_contacts", "1")]);
        Assert.That(tuples.Single(), Is.EqualTo(new ConfigTuple("max_contacts", "1")));
        Assert.That(Sent, Is.EqualTo("PUT asterisk/config/dynamic/res_pjsip/aor/alice"));
        Assert.That(_ari.Last.Body, Is.EqualTo("""{"fields":[{"attribute":"max_contacts","value":"1"}]}"""));

        _ari.Reply(HttpStatusCode.NoContent);
        await _client.AsteriskInfo.ReloadModuleAsync("res_pjsip.so");
        Assert.That(Sent, Is.EqualTo("PUT asterisk/modules/res_pjsip.so"));
        await _client.AsteriskInfo.DeleteObjectAsync("res_pjsip", "aor", "alice");
        Assert.That(Sent, Is.EqualTo("DELETE asterisk/config/dynamic/res_pjsip/aor/alice"));
    }

    [Test]
    public async Task GlobalVariables_AreReadAndSetThroughAsteriskVariable()
    {
        _ari.Reply(HttpStatusCode.OK, """{"value":"7 abc"}""");
        Assert.That(await _client.AsteriskInfo.GetGlobalVariableAsync("PBXROUTER_HEARTBEAT_pbxrouter"), Is.EqualTo("7 abc"));
        Assert.That(Sent, Is.EqualTo("GET asterisk/variable?variable=PBXROUTER_HEARTBEAT_pbxrouter"));

        _ari.Reply(HttpStatusCode.OK, """{"value":""}""");
        Assert.That(await _client.AsteriskInfo.GetGlobalVariableAsync("UNSET"), Is.EqualTo(""));

        _ari.Reply(HttpStatusCode.NoContent);
        await _client.AsteriskInfo.SetGlobalVariableAsync("PBXROUTER_HEARTBEAT_pbxrouter", "8 abc");
        Assert.That(Sent, Is.EqualTo("POST asterisk/variable?variable=PBXROUTER_HEARTBEAT_pbxrouter&value=8%20abc"));
    }

    [Test]
    public async Task Requests_AreBoundedByMaxConnections()
    {
        var gate = new TaskCompletionSource<HttpResponseMessage>();
        int inFlight = 0, maxInFlight = 0;
        var handler = new FakeAriHandler();
        handler.Respond = async _ =>
        {
            int now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            var response = await gate.Task;
            Interlocked.Decrement(ref inFlight);
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        };
        var options = TestClients.Options();
        options.MaxConnections = 3;
        await using var client = TestClients.Create(handler, options);

        var calls = Enumerable.Range(0, 10).Select(i => client.Channels.AnswerAsync($"c{i}")).ToArray();
        await Task.Delay(100);
        Assert.That(handler.Requests, Has.Count.EqualTo(3));
        gate.SetResult(new HttpResponseMessage(HttpStatusCode.NoContent));
        await Task.WhenAll(calls);

        Assert.That(maxInFlight, Is.EqualTo(3));
        Assert.That(handler.Requests, Has.Count.EqualTo(10));
    }

    [Test]
    public void Options_ToString_NeverShowsThePassword() =>
        Assert.That(TestClients.Options().ToString(), Does.Not.Contain("s3cret"));

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
