using System.Net;
using Microsoft.Extensions.Time.Testing;
using PbxRouter.Ari.Tests.Support;

namespace PbxRouter.Ari.Tests.Transport;

public class AriErrorMappingTests
{
    private FakeAriHandler _handler = null!;
    private AriClient _client = null!;

    [SetUp]
    public void SetUp()
    {
        _handler = new FakeAriHandler();
        _client = TestClients.Create(_handler);
    }

    [TearDown]
    public async Task TearDown() => await _client.DisposeAsync();

    [TestCase(404, typeof(AriNotFoundException), "Channel not found")]
    [TestCase(409, typeof(AriConflictException), "Channel not in Stasis application")]
    [TestCase(412, typeof(AriPreconditionFailedException), "Channel in invalid state")]
    [TestCase(422, typeof(AriUnprocessableException), "Recording with same name already exists on the system")]
    [TestCase(500, typeof(AriException), "Internal Server Error")]
    public void NonSuccessStatus_BecomesTypedException_WithOperationIdAndMessage(int status, Type expected, string message)
    {
        _handler.Reply((HttpStatusCode)status, $$"""{"message":"{{message}}"}""");

        var e = Assert.ThrowsAsync(expected, () => _client.Channels.AnswerAsync("1737364542.12")) as AriException;

        Assert.That(e!.StatusCode, Is.EqualTo(status));
        Assert.That(e.Operation, Is.EqualTo("channels.answer"));
        Assert.That(e.ResourceId, Is.EqualTo("1737364542.12"));
        Assert.That(e.AriMessage, Is.EqualTo(message));
        Assert.That(e.Message, Does.Contain("1737364542.12").And.Contain(message).And.Contain(status.ToString()));
        Assert.That(e.IsGone, Is.EqualTo(status == 404));
        Assert.That(e.IsGone(), Is.EqualTo(status == 404));
    }

    [Test]
    public void ErrorWithoutJsonBody_UsesTheText()
    {
        _handler.Reply(HttpStatusCode.BadGateway, null);
        _handler.Respond = _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("proxy down") });

        var e = Assert.ThrowsAsync<AriException>(() => _client.Bridges.DestroyAsync("b1"));

        Assert.That(e!.StatusCode, Is.EqualTo(502));
        Assert.That(e.AriMessage, Is.EqualTo("proxy down"));
        Assert.That(e.ResourceId, Is.EqualTo("b1"));
    }

    [Test]
    public void NetworkFailure_BecomesUnavailable()
    {
        _handler.Respond = _ => throw new HttpRequestException("Connection refused");

        var e = Assert.ThrowsAsync<AriUnavailableException>(() => _client.Channels.HangupAsync("c1"));

        Assert.That(e!.StatusCode, Is.Zero);
        Assert.That(e.Operation, Is.EqualTo("channels.hangup"));
        Assert.That(e.Message, Does.Contain("Connection refused"));
    }

    [Test]
    public async Task NoAnswerWithinRequestTimeout_BecomesUnavailable()
    {
        var time = new FakeTimeProvider();
        var handler = new FakeAriHandler { Respond = _ => new TaskCompletionSource<HttpResponseMessage>().Task };
        await using var client = TestClients.Create(handler, time: time);

        var call = client.Channels.AnswerAsync("c1");
        while (handler.Requests.IsEmpty) await Task.Delay(1);
        time.Advance(TimeSpan.FromSeconds(10));

        var e = Assert.ThrowsAsync<AriUnavailableException>(() => call);
        Assert.That(e!.Message, Does.Contain("no answer within 10 s"));
    }

    [Test]
    public void CallerCancellation_IsNotMappedToUnavailable()
    {
        _handler.Respond = _ => new TaskCompletionSource<HttpResponseMessage>().Task;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        Assert.CatchAsync<OperationCanceledException>(() => _client.Channels.GetAsync("c1", cts.Token));
    }

    [Test]
    public void GetVariable_UnsetVariable_ReturnsNull_ButMissingChannelThrows()
    {
        _handler.Reply(HttpStatusCode.NotFound, """{"message":"Provided variable was not found"}""");
        Assert.That(_client.Channels.GetVariableAsync("c1", "FOO").Result, Is.Null);

        _handler.Reply(HttpStatusCode.NotFound, """{"message":"Channel not found"}""");
        Assert.ThrowsAsync<AriNotFoundException>(() => _client.Channels.GetVariableAsync("c1", "FOO"));
    }
}
