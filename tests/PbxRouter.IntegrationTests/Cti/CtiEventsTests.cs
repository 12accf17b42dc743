using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;

namespace PbxRouter.IntegrationTests.Cti;

/// <summary>
/// Live call events of a real engine (`pbxrouter serve`, real Asterisk, SIPp): a CTI consumer connected to /cti/events and the
/// practice's webhook receiver (Kestrel over HTTPS, checking the signature) both get the call's events in order: ringing at
/// accueil-1, answered by accueil-1, ended (hung up by the caller), with the practice and the numbers.
/// </summary>
[TestFixture]
public sealed class CtiEventsTests
{
    /// <summary>Line "attente" of tilleuls-test.yaml: queue on accueil-1 alone.</summary>
    private const string WaitingLine = "+33145000006";
    private const string Patient = "+33640000901";
    private const string SecretEnv = "PBXTEST_CTI_HOOK_SECRET";
    private const string Token = "agenda-token-for-the-cti-test";

    private TestCertificate _certificate = null!;

    [SetUp]
    public void SetUp()
    {
        _certificate = new TestCertificate();
        // The engine (a child process) inherits it: secrets never go into a file or onto a command line.
        Environment.SetEnvironmentVariable(SecretEnv, "cti-hook-" + Environment.ProcessId);
    }

    [TearDown]
    public void TearDown()
    {
        _certificate.Dispose();
        Environment.SetEnvironmentVariable(SecretEnv, null);
    }

    [Test]
    public async Task A_consumer_and_the_practice_s_webhook_get_ringing_answered_ended_of_a_sipp_call_in_order()
    {
        await using var asterisk = new AsteriskInstance(fallbackNumber: PracticeCalls.SecretariatNumber);
        await asterisk.StartAsync();
        await using var receiver = await LocalHttpsReceiver.StartAsync(_certificate, Environment.GetEnvironmentVariable(SecretEnv)!);
        var port = FreePorts.Tcp();
        var settings = new Dictionary<string, string>
        {
            ["Web:Url"] = $"http://127.0.0.1:{port}",
            ["Notifications:TrustedCaPath"] = _certificate.PemPath,
            ["Cti:Consumers:0:Name"] = "agenda",
            ["Cti:Consumers:0:TokenHash"] = PbxRouter.Cti.CtiConsumers.HashOf(Token),
            ["Cti:Consumers:0:Practices:0"] = "tilleuls",
            ["Cti:Consumers:0:CallerNumbers"] = "true",
        };
        const string practiceNumbers = "\n    numbers: [\"01 45 00 00 00\"]\n";
        await using var served = await ServedPractice.StartAsync(asterisk, PracticeCalls.Open, "cti", settings, text =>
        {
            Assert.That(text.Split(practiceNumbers), Has.Length.EqualTo(2), "the practice's numbers line occurs once");
            return text.Replace(practiceNumbers, practiceNumbers + $"    cti: {{ webhook: \"{receiver.Url}\", secret_env: {SecretEnv} }}\n");
        });
        await served.Engine.WaitForLineAsync("Metrics and health on http://127.0.0.1:", "the engine serves its web endpoint");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = Timeout.InfiniteTimeSpan };

        Assert.That(await StatusAsync(http, null, "cti/events"), Is.EqualTo(HttpStatusCode.Unauthorized), "no token");
        Assert.That(await StatusAsync(http, "not-the-token", "cti/events"), Is.EqualTo(HttpStatusCode.Unauthorized), "a wrong token");
        Assert.That(await StatusAsync(http, Token, "cti/events?practice=erables"), Is.EqualTo(HttpStatusCode.Forbidden), "another practice");

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var request = new HttpRequestMessage(HttpMethod.Get, "cti/events?practice=tilleuls");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var stream = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        Assert.That(stream.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(stream.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        var reading = SseFrames.ReadUntilAsync(await stream.Content.ReadAsStreamAsync(stop.Token), f => f.Event == "call.ended", stop.Token);

        var phone = await served.PhoneAsync("accueil-1", "phone-answers.xml");
        var patient = Sipp.Patient(asterisk, "patient-hangs-up.xml", WaitingLine, Patient, holdMs: 2_000);
        await Sipp.AllSucceedAsync(patient, phone);
        var record = await served.FinishedRecordOfAsync(Patient);
        Assert.That((record.Outcome, record.AnsweredBy), Is.EqualTo((CallOutcomes.Answered, "accueil-1")), PracticeCalls.Describe(record));

        var frames = await reading;
        var events = frames.Select(f => JsonDocument.Parse(f.Data).RootElement.Clone()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(frames.Select(f => f.Event), Is.EqualTo(new[] { "call.ringing", "call.answered", "call.ended" }), string.Join("\n", frames));
            Assert.That(events.Select(e => e.GetProperty("type").GetString()), Is.EqualTo(frames.Select(f => f.Event)));
            Assert.That(events.Select(e => e.GetProperty("sequence").GetInt32()), Is.Ordered.Ascending.And.Unique);
            Assert.That(frames.Select(f => f.Id), Is.All.Not.Null);
            Assert.That(frames.Select(f => f.Id), Is.Unique);
            foreach (var e in events)
            {
                Assert.That(e.GetProperty("call_id").GetString(), Is.EqualTo(record.CallId));
                Assert.That(e.GetProperty("practice").GetString(), Is.EqualTo("tilleuls"));
                Assert.That(e.GetProperty("caller").GetString(), Is.EqualTo(Patient));
                Assert.That(e.GetProperty("called").GetString(), Is.EqualTo(WaitingLine));
            }
            Assert.That(events[0].GetProperty("phone").GetString(), Is.EqualTo("accueil-1"));
            Assert.That(events[1].GetProperty("by").GetString(), Is.EqualTo("accueil-1"));
            Assert.That(events[2].GetProperty("outcome").GetString(), Is.EqualTo("answered"));
            Assert.That(events[2].GetProperty("hung_up_by").GetString(), Is.EqualTo("caller"));
        });

        // The webhook: the same events, in order, signed (the receiver verified each HMAC), caller masked (caller_numbers: false).
        var posts = await receiver.WaitForAsync(3, TimeSpan.FromSeconds(60), "the three webhook POSTs");
        var bodies = posts.Select(p => JsonDocument.Parse(p.Body).RootElement.Clone()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(posts, Has.Length.EqualTo(3));
            Assert.That(posts.Select(p => p.Verified), Is.All.True, "the receiver verified the HMAC over timestamp.body");
            Assert.That(bodies.Select(b => b.GetProperty("type").GetString()), Is.EqualTo(new[] { "call.ringing", "call.answered", "call.ended" }));
            Assert.That(bodies.Select(b => b.GetProperty("sequence").GetInt32()), Is.EqualTo(events.Select(e => e.GetProperty("sequence").GetInt32())));
            Assert.That(posts.Select(p => p.Delivery), Is.EqualTo(frames.Select(f => f.Id)), "X-PbxRouter-Delivery is the SSE id");
            Assert.That(bodies.Select(b => b.GetProperty("call_id").GetString()), Is.All.EqualTo(record.CallId));
            Assert.That(bodies.Select(b => b.TryGetProperty("caller", out _)), Is.All.False, "caller_numbers is false for this webhook");
            Assert.That(bodies.Select(b => b.GetProperty("caller_masked").GetString()), Is.All.EqualTo("+336******01"));
        });
        Assert.That(served.Engine.Output, Does.Not.Contain(Environment.GetEnvironmentVariable(SecretEnv)!).And.Not.Contain(Token),
            "no secret in the engine's log");
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string? token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }
}
