using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Ari;
using PbxRouter.Watchdog;

namespace PbxRouter.Tests.Watchdog;

/// <summary>The sweep against a scripted ARI: what it sends, in which order, and that it stops when the engine is back.</summary>
[TestFixture]
public sealed class WatchdogSweepTests
{
    private const string App = """{"name":"pbxrouter","channel_ids":["c1","c1-ring-1"],"bridge_ids":[],"endpoint_ids":[],"device_names":[],"events_allowed":[],"events_disallowed":[]}""";
    private const string Channels = """
        [{"id":"c1","name":"PJSIP/trunk-1","state":"Ring","caller":{"name":"","number":"+33612345678"},"connected":{"name":"","number":""},
          "dialplan":{"context":"from-trunk-called","exten":"+33145000000","priority":1,"app_name":"Stasis","app_data":"pbxrouter,inbound,+33145000000,allowed"},"creationtime":"2026-12-01T10:00:00.000+0000"},
         {"id":"c1-ring-1","name":"PJSIP/tilleuls.accueil-1-2","state":"Ringing","caller":{"name":"","number":""},"connected":{"name":"","number":""},
          "dialplan":{"context":"from-phones","exten":"s","priority":1,"app_name":"Stasis","app_data":"pbxrouter,leg"},"creationtime":"2026-12-01T10:00:00.000+0000"},
         {"id":"x9","name":"PJSIP/trunk-3","state":"Up","caller":{"name":"","number":""},"connected":{"name":"","number":""},
          "dialplan":{"context":"fallback-route","exten":"s","priority":9,"app_name":"Dial","app_data":"PJSIP/x@trunk"},"creationtime":"2026-12-01T10:00:00.000+0000"}]
        """;

    private readonly ConcurrentQueue<string> _sent = new();
    private AriClient _ari = null!;
    private WatchdogSweep _sweep = null!;
    private Func<HttpRequestMessage, HttpStatusCode?>? _override;

    [SetUp]
    public void SetUp()
    {
        _sent.Clear();
        _override = null;
        _ari = new AriClient(new AriOptions { User = "u", Password = "p", Application = "pbxrouter-watchdog" }, NullLoggerFactory.Instance,
            TimeProvider.System, new Handler(this));
        _sweep = new WatchdogSweep(_ari, "pbxrouter", "fallback", new WatchdogOptions(), NullLogger.Instance, TimeProvider.System);
    }

    [TearDown]
    public async Task TearDown() => await _ari.DisposeAsync();

    [Test]
    public async Task EngineAway_HangsUpTheRingingLegThenMovesTheCaller_AndLeavesOtherChannels()
    {
        var moved = await _sweep.RunAsync(_ => Task.FromResult(true), () => TimeSpan.FromSeconds(21), CancellationToken.None);

        Assert.That(moved, Is.EqualTo(2), string.Join("\n", _sent));
        Assert.That(Commands(), Is.EqualTo(new[]
        {
            "DELETE channels/c1-ring-1?reason=normal",
            "POST channels/c1/continue?context=fallback&extension=%2B33145000000&priority=1",
        }));
    }

    [Test]
    public async Task EngineBackBeforeTheFirstMove_NothingIsMoved()
    {
        var moved = await _sweep.RunAsync(_ => Task.FromResult(false), () => TimeSpan.FromSeconds(21), CancellationToken.None);
        Assert.That(moved, Is.Zero);
        Assert.That(Commands(), Is.Empty);
    }

    [Test]
    public async Task EngineBackAfterTheFirstMove_TheSweepStops()
    {
        var checks = 0;
        var moved = await _sweep.RunAsync(_ => Task.FromResult(++checks == 1), () => TimeSpan.FromSeconds(21), CancellationToken.None);
        Assert.That(moved, Is.EqualTo(1));
        Assert.That(Commands(), Is.EqualTo(new[] { "DELETE channels/c1-ring-1?reason=normal" }));
    }

    [Test]
    public async Task ChannelsAlreadyMoved_AreSkipped_AndTheApplicationGone_MeansNothingToDo()
    {
        _override = r => r.Method != HttpMethod.Get ? (r.Method == HttpMethod.Delete ? HttpStatusCode.NotFound : HttpStatusCode.Conflict) : null;
        Assert.That(await _sweep.RunAsync(_ => Task.FromResult(true), () => TimeSpan.FromSeconds(21), CancellationToken.None), Is.Zero);

        _override = r => r.RequestUri!.AbsolutePath.EndsWith("applications/pbxrouter", StringComparison.Ordinal) ? HttpStatusCode.NotFound : null;
        _sent.Clear();
        Assert.That(await _sweep.RunAsync(_ => Task.FromResult(true), () => TimeSpan.FromSeconds(21), CancellationToken.None), Is.Zero);
        Assert.That(_sent, Is.EqualTo(new[] { "GET applications/pbxrouter" }));
    }

    private string[] Commands() => [.. _sent.Where(s => !s.StartsWith("GET ", StringComparison.Ordinal))];

    private sealed class Handler(WatchdogSweepTests test) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.PathAndQuery["/ari/".Length..];
            test._sent.Enqueue($"{request.Method} {path}");
            if (test._override?.Invoke(request) is { } status) return Task.FromResult(Json(status, """{"message":"scripted"}"""));
            if (request.Method != HttpMethod.Get) return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
            return Task.FromResult(path switch
            {
                "applications/pbxrouter" => Json(HttpStatusCode.OK, App),
                "channels" => Json(HttpStatusCode.OK, Channels),
                "bridges" => Json(HttpStatusCode.OK, """[{"id":"b1","technology":"simple_bridge","bridge_type":"mixing","bridge_class":"stasis","creator":"Stasis","name":"","channels":["c1","c1-ring-1"],"creationtime":"2026-12-01T10:00:00.000+0000"}]"""),
                _ => Json(HttpStatusCode.NotFound, """{"message":"not scripted"}"""),
            });
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
            new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }
}
