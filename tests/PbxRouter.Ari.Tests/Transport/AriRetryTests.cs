using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PbxRouter.Ari.Tests.Support;

namespace PbxRouter.Ari.Tests.Transport;

/// <summary>What the transport does when Asterisk answers 5xx or does not answer: reads are retried, commands are sent once.</summary>
public class AriRetryTests
{
    private const string ChannelJson = """{"id":"c1","name":"PJSIP/trunk-00000001","state":"Up"}""";
    private FakeTimeProvider _time = null!;
    private ListLogger _log = null!;

    [SetUp]
    public void SetUp() => (_time, _log) = (new FakeTimeProvider(), new ListLogger());

    [Test]
    public async Task Read_Answering500ThenOk_IsRetriedAndSucceeds()
    {
        var answers = new Queue<HttpStatusCode>([HttpStatusCode.InternalServerError, HttpStatusCode.OK]);
        var handler = new FakeAriHandler { Respond = _ => Task.FromResult(FakeAriHandler.Response(answers.Dequeue(), ChannelJson)) };
        await using var client = Client(handler);

        var channel = await RunAsync(client.Channels.GetAsync("c1"));

        Assert.That(channel.Id, Is.EqualTo("c1"));
        Assert.That(handler.Requests, Has.Count.EqualTo(2));
        Assert.That((client.Requests.Of("channels.get"), client.Requests.Failed, client.Requests.Retried), Is.EqualTo((2L, 1L, 1L)));
        Assert.That(_log.At(LogLevel.Warning).Single(), Does.Contain("retry 1 of 2").And.Contain("(500)"));
    }

    [TestCase(HttpStatusCode.InternalServerError)]
    [TestCase(HttpStatusCode.ServiceUnavailable)]
    public async Task Read_AlwaysFailing_GivesUpAfterThreeAttempts(HttpStatusCode status)
    {
        var handler = new FakeAriHandler();
        handler.Reply(status, """{"message":"Asterisk is busy"}""");
        await using var client = Client(handler);

        var e = Assert.ThrowsAsync<AriException>(() => RunAsync(client.AsteriskInfo.GetEndpointAsync("PJSIP", "tilleuls-accueil-1")));

        Assert.That(e!.StatusCode, Is.EqualTo((int)status));
        Assert.That(handler.Requests, Has.Count.EqualTo(3));
        Assert.That(_log.At(LogLevel.Warning).Count(), Is.EqualTo(2));
    }

    [TestCase(404)]
    [TestCase(409)]
    [TestCase(422)]
    public async Task Read_Answering4xx_IsNotRetried(int status)
    {
        var handler = new FakeAriHandler();
        handler.Reply((HttpStatusCode)status, """{"message":"no"}""");
        await using var client = Client(handler);

        var e = Assert.ThrowsAsync(Is.InstanceOf<AriException>(), () => RunAsync(client.Channels.GetAsync("c1"))) as AriException;

        Assert.That(e!.StatusCode, Is.EqualTo(status));
        Assert.That(handler.Requests, Has.Count.EqualTo(1));
        Assert.That(_log.At(LogLevel.Warning), Is.Empty);
    }

    [Test]
    public async Task Read_NoAnswerOnce_IsRetriedAfterItsTimeout()
    {
        var attempts = 0;
        var handler = new FakeAriHandler
        {
            Respond = _ => ++attempts == 1
                ? new TaskCompletionSource<HttpResponseMessage>().Task
                : Task.FromResult(FakeAriHandler.Response(HttpStatusCode.OK, ChannelJson)),
        };
        await using var client = Client(handler);

        var channel = await RunAsync(client.Channels.GetAsync("c1"));

        Assert.That(channel.Id, Is.EqualTo("c1"));
        Assert.That(attempts, Is.EqualTo(2));
        Assert.That(_log.At(LogLevel.Warning).Single(), Does.Contain("no answer within 10 s"));
    }

    [TestCase(500)]
    [TestCase(503)]
    public async Task Command_Answering5xx_IsSentOnceAndLogged(int status)
    {
        var handler = new FakeAriHandler();
        handler.Reply((HttpStatusCode)status, """{"message":"Internal Server Error"}""");
        await using var client = Client(handler);

        var e = Assert.ThrowsAsync<AriException>(() => RunAsync(client.Channels.ContinueAsync("c1", "fallback", "+33145000000", 1)));

        Assert.That(e!.StatusCode, Is.EqualTo(status));
        Assert.That(handler.Requests, Has.Count.EqualTo(1), "a command is never repeated blindly");
        Assert.That(_log.At(LogLevel.Warning).Single(), Does.Contain("POST channels/c1/continue").And.Contain("not retried"));
    }

    [Test]
    public async Task Command_NoAnswer_IsSentOnceAndBecomesUnavailable()
    {
        var handler = new FakeAriHandler { Respond = _ => new TaskCompletionSource<HttpResponseMessage>().Task };
        await using var client = Client(handler);

        var e = Assert.ThrowsAsync<AriUnavailableException>(() => RunAsync(client.Channels.DialAsync("leg-1", "c1", 20)));

        Assert.That(e!.Message, Does.Contain("no answer within 10 s"));
        Assert.That(handler.Requests, Has.Count.EqualTo(1), "a dial that timed out may have rung: not sent again");
        Assert.That(client.Requests.Failed, Is.EqualTo(1));
    }

    [Test]
    public async Task HungAsterisk_RealSocket_ReadsTryThreeTimesCommandsOnce()
    {
        await using var server = new FakeAriServer { AnswersRest = _ => false };
        var options = TestClients.Options(server.BaseUrl.ToString());
        options.RequestTimeout = TimeSpan.FromMilliseconds(300);
        await using var client = new AriClient(options, _log);

        Assert.ThrowsAsync<AriUnavailableException>(() => client.Channels.GetAsync("c1"));
        Assert.ThrowsAsync<AriUnavailableException>(() => client.Channels.HangupAsync("c1"));

        Assert.That(server.RestRequests.Count(r => r.StartsWith("GET /ari/channels/c1", StringComparison.Ordinal)), Is.EqualTo(3));
        Assert.That(server.RestRequests.Count(r => r.StartsWith("DELETE /ari/channels/c1", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    private AriClient Client(FakeAriHandler handler) => new(TestClients.Options(), _log, _time, handler);

    /// <summary>Lets the fake clock run (timeouts, backoff) until the request is over.</summary>
    private async Task<T> RunAsync<T>(Task<T> request)
    {
        while (!request.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1);
        }
        return await request;
    }

    private async Task RunAsync(Task request) => await RunAsync(request.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default));
}
