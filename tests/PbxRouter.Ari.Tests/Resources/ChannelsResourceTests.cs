using System.Net;
using PbxRouter.Ari.Tests.Support;
using static PbxRouter.Ari.Tests.Support.AriSamples;

namespace PbxRouter.Ari.Tests.Resources;

public class ChannelsResourceTests
{
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

    [Test]
    public async Task Originate_SendsQueryAndVariablesBody_AndDefaultsToOurApp()
    {
        _ari.Reply(HttpStatusCode.OK, LegJson);

        var channel = await _client.Channels.OriginateAsync(new OriginateRequest
        {
            Endpoint = "PJSIP/alice",
            CallerId = "\"Patient\" <+33612345678>",
            Timeout = 20,
            ChannelId = "leg-1",
            Variables = new Dictionary<string, string> { ["PJSIP_HEADER(add,X-Practice)"] = "tilleuls" },
        });

        Assert.That(channel.Id, Is.EqualTo("leg-1"));
        var r = _ari.Last;
        Assert.That(r.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(r.PathAndQuery, Is.EqualTo(
            "channels?endpoint=PJSIP%2Falice&app=pbxrouter&callerId=%22Patient%22%20%3C%2B33612345678%3E&timeout=20&channelId=leg-1"));
        Assert.That(r.Body, Is.EqualTo("""{"variables":{"PJSIP_HEADER(add,X-Practice)":"tilleuls"}}"""));
        Assert.That(r.Authorization, Is.EqualTo("Basic " + Convert.ToBase64String("pbxrouter:s3cret"u8.ToArray())));
    }

    [Test]
    public async Task Originate_ToDialplan_DoesNotAddApp()
    {
        _ari.Reply(HttpStatusCode.OK, LegJson);

        await _client.Channels.OriginateAsync(new OriginateRequest { Endpoint = "PJSIP/alice", Context = "internal", Extension = "100", Priority = 1 });

        Assert.That(_ari.Last.PathAndQuery, Is.EqualTo("channels?endpoint=PJSIP%2Falice&extension=100&context=internal&priority=1"));
        Assert.That(_ari.Last.Body, Is.Null);
    }

    [Test]
    public async Task Create_ThenDial_SendTheDocumentedRequests()
    {
        _ari.Reply(HttpStatusCode.OK, LegJson);
        await _client.Channels.CreateAsync(new CreateChannelRequest
        {
            Endpoint = "PJSIP/alice", ChannelId = "leg-1", AppArgs = "leg",
            Variables = new Dictionary<string, string> { ["CONNECTEDLINE(num)"] = "+33612345678" },
        });
        Assert.That(_ari.Last.PathAndQuery, Is.EqualTo("channels/create?endpoint=PJSIP%2Falice&app=pbxrouter&appArgs=leg&channelId=leg-1"));
        Assert.That(_ari.Last.Body, Is.EqualTo("""{"variables":{"CONNECTEDLINE(num)":"\u002B33612345678"}}""").Or.EqualTo("""{"variables":{"CONNECTEDLINE(num)":"+33612345678"}}"""));

        _ari.Reply(HttpStatusCode.NoContent);
        await _client.Channels.DialAsync("leg-1", caller: "1737364542.12", timeoutSeconds: 20);
        Assert.That(_ari.Last.PathAndQuery, Is.EqualTo("channels/leg-1/dial?caller=1737364542.12&timeout=20"));

        await _client.Channels.DialAsync("leg-2");
        Assert.That(_ari.Last.PathAndQuery, Is.EqualTo("channels/leg-2/dial"));
    }

    [Test]
    public async Task SimpleCommands_UseTheRightVerbAndPath()
    {
        var c = _client.Channels;
        (Func<Task> call, string method, string path)[] cases =
        [
            (() => c.AnswerAsync("c1"), "POST", "channels/c1/answer"),
            (() => c.RingAsync("c1"), "POST", "channels/c1/ring"),
            (() => c.RingStopAsync("c1"), "DELETE", "channels/c1/ring"),
            (() => c.ProgressAsync("c1"), "POST", "channels/c1/progress"),
            (() => c.HangupAsync("c1"), "DELETE", "channels/c1?reason=normal"),
            (() => c.HangupAsync("c1", "busy"), "DELETE", "channels/c1?reason=busy"),
            (() => c.ContinueAsync("c1", "fallback", "0145000000", 1), "POST", "channels/c1/continue?context=fallback&extension=0145000000&priority=1"),
            (() => c.ContinueAsync("c1"), "POST", "channels/c1/continue"),
            (() => c.RedirectAsync("c1", "PJSIP/bob"), "POST", "channels/c1/redirect?endpoint=PJSIP%2Fbob"),
            (() => c.StartMohAsync("c1", "default"), "POST", "channels/c1/moh?mohClass=default"),
            (() => c.StopMohAsync("c1"), "DELETE", "channels/c1/moh"),
            (() => c.SendDtmfAsync("c1", "12#"), "POST", "channels/c1/dtmf?dtmf=12%23"),
            (() => c.SetVariableAsync("c1", "CDR(userfield)", "x"), "POST", "channels/c1/variable?variable=CDR%28userfield%29&value=x"),
        ];
        foreach (var (call, method, path) in cases)
        {
            await call();
            Assert.That($"{_ari.Last.Method} {_ari.Last.PathAndQuery}", Is.EqualTo($"{method} {path}"));
        }
    }

    [Test]
    public async Task Play_WithPlaybackId_UsesThePathForm()
    {
        _ari.Reply(HttpStatusCode.OK, """{"id":"greeting-1","media_uri":"sound:hello","target_uri":"channel:c1","state":"queued"}""");

        var playback = await _client.Channels.PlayAsync("c1", "sound:hello", playbackId: "greeting-1", lang: "fr");
        Assert.That(_ari.Last.PathAndQuery, Is.EqualTo("channels/c1/play/greeting-1?media=sound%3Ahello&lang=fr"));
        Assert.That(playback.TargetChannelId, Is.EqualTo("c1"));

        await _client.Channels.PlayAsync("c1", "tone:ring;tonezone=fr");
        Assert.That(_ari.Last.PathAndQuery, Is.EqualTo("channels/c1/play?media=tone%3Aring%3Btonezone%3Dfr"));
    }

    [Test]
    public async Task Record_SendsOptions()
    {
        _ari.Reply(HttpStatusCode.Created, """{"name":"vm/1","format":"wav","target_uri":"channel:c1","state":"queued"}""");

        var rec = await _client.Channels.RecordAsync("c1", new RecordRequest
        {
            Name = "vm/1", MaxDurationSeconds = 120, MaxSilenceSeconds = 5, Beep = true, TerminateOn = "#", IfExists = "fail",
        });

        Assert.That(rec.State, Is.EqualTo("queued"));
        Assert.That(_ari.Last.PathAndQuery, Is.EqualTo(
            "channels/c1/record?name=vm%2F1&format=wav&maxDurationSeconds=120&maxSilenceSeconds=5&ifExists=fail&beep=true&terminateOn=%23"));
    }

    [Test]
    public async Task GetListAndVariable_DecodeResponses()
    {
        _ari.Reply(HttpStatusCode.OK, $"[{ChannelJson},{LegJson}]");
        var list = await _client.Channels.ListAsync();
        Assert.That(list.Select(c => c.Id), Is.EqualTo(new[] { "1737364542.12", "leg-1" }));

        _ari.Reply(HttpStatusCode.OK, ChannelJson);
        Assert.That((await _client.Channels.GetAsync("1737364542.12")).Caller.Number, Is.EqualTo("+33612345678"));

        _ari.Reply(HttpStatusCode.OK, """{"value":"tilleuls"}""");
        Assert.That(await _client.Channels.GetVariableAsync("c1", "PRACTICE"), Is.EqualTo("tilleuls"));
        Assert.That(_ari.Last.PathAndQuery, Is.EqualTo("channels/c1/variable?variable=PRACTICE"));
    }

    [Test]
    public async Task Ids_AreEscapedInPaths()
    {
        await _client.Channels.AnswerAsync("a/b c");

        Assert.That(_ari.Last.Uri.AbsolutePath, Is.EqualTo("/ari/channels/a%2Fb%20c/answer"));
    }

    [Test]
    public async Task BaseUrlWithoutTrailingSlash_StillTargetsAri()
    {
        var handler = new FakeAriHandler();
        await using var client = TestClients.Create(handler, TestClients.Options("http://127.0.0.1:8088/ari"));

        await client.Channels.AnswerAsync("c1");

        Assert.That(handler.Last.Uri.ToString(), Is.EqualTo("http://127.0.0.1:8088/ari/channels/c1/answer"));
    }
}
