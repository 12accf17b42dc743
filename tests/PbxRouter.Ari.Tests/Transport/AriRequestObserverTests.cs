using System.Net;
using Microsoft.Extensions.Time.Testing;
using PbxRouter.Ari.Tests.Support;

namespace PbxRouter.Ari.Tests.Transport;

/// <summary>The observer metrics use: told every REST attempt with its constant operation (never an id), method, duration and failure.</summary>
public class AriRequestObserverTests
{
    private sealed class Recording : IAriRequestObserver
    {
        public List<(string Operation, HttpMethod Method, TimeSpan Elapsed, bool Failed)> Seen { get; } = [];

        public void Completed(string operation, HttpMethod method, TimeSpan elapsed, bool failed)
        {
            lock (Seen) Seen.Add((operation, method, elapsed, failed));
        }
    }

    [Test]
    public async Task EachAttempt_IsObservedWithItsDuration_AndFailuresAreSaid()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T09:00:00Z"));
        var handler = new FakeAriHandler();
        await using var client = TestClients.Create(handler, time: time);
        var observer = new Recording();
        client.RequestObserver = observer;

        handler.Respond = _ =>
        {
            time.Advance(TimeSpan.FromMilliseconds(12));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
        };
        await client.Channels.AnswerAsync("1764666000.42");
        handler.Reply(HttpStatusCode.NotFound, """{"message":"Channel not found"}""");
        Assert.ThrowsAsync<AriNotFoundException>(() => client.Channels.HangupAsync("1764666000.42"));

        Assert.That(observer.Seen, Is.EqualTo(new[]
        {
            ("channels.answer", HttpMethod.Post, TimeSpan.FromMilliseconds(12), false),
            ("channels.hangup", HttpMethod.Delete, TimeSpan.Zero, true),
        }));
    }
}
