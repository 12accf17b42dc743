using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Calls.Cti;
using PbxRouter.Calls.Notifications;
using PbxRouter.Calls.Rules;
using PbxRouter.Cti;
using PbxRouter.Routing;
using PbxRouter.Store;
using PbxRouter.Tests.Cli;
using PbxRouter.Tests.Support;

namespace PbxRouter.Tests.Cti;

[TestFixture]
public sealed class CtiWebhooksTests
{
    private const string Secret = "unit-cti-secret";
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-12-01T09:00:00Z");

    /// <summary>Answers 503 to the first POST, 200 to the others; keeps every attempt.</summary>
    private sealed class FlakyReceiver(int wanted) : HttpMessageHandler
    {
        public ConcurrentQueue<(string Type, string Body, string Timestamp, string Signature, string Delivery)> Attempts { get; } = new();
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _ok;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var body = await request.Content!.ReadAsStringAsync(ct);
            Attempts.Enqueue((request.Headers.GetValues(CtiWebhooks.EventHeader).Single(), body,
                request.Headers.GetValues(WebhookSignature.TimestampHeader).Single(), request.Headers.GetValues(WebhookSignature.SignatureHeader).Single(),
                request.Headers.GetValues(WebhookSignature.DeliveryHeader).Single()));
            if (Attempts.Count == 1) return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            if (Interlocked.Increment(ref _ok) == wanted) Done.TrySetResult();
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    private static ActiveRules RulesWithCti()
    {
        const string numbers = "    numbers: [\"01 45 00 00 00\"]\n";
        var yaml = VoicemailRules.Yaml.Replace(numbers, numbers + "    cti: { webhook: \"https://agenda.example.fr/hook\", secret_env: PBXTEST_UNIT_CTI }\n");
        var compiled = RulesCompiler.Compile("tilleuls.yaml", yaml);
        Assert.That(compiled.Errors, Is.Empty, string.Join("\n", compiled.Errors));
        var db = new StoreDatabase(Path.Combine(CliRunner.TempFolder(), "pbxrouter.db"));
        var rules = new ActiveRules(new RulesRepository(db, TimeProvider.System), NullLogger<ActiveRules>.Instance);
        rules.Use(1, compiled.Rules!);
        return rules;
    }

    [Test]
    public async Task A_practice_s_events_are_posted_in_order_signed_with_the_caller_masked_and_a_503_is_retried()
    {
        var hub = new CtiHub(new CtiOptions(), NullLogger<CtiHub>.Instance);
        var receiver = new FlakyReceiver(wanted: 3);
        using var webhooks = new CtiWebhooks(hub, RulesWithCti(), new TrustedCertificates(null), TimeProvider.System, NullLogger<CtiWebhooks>.Instance,
            name => name == "PBXTEST_UNIT_CTI" ? Secret : null, receiver);
        await webhooks.StartAsync(CancellationToken.None);
        while (hub.Consumers == 0) await Task.Yield(); // the sender subscribes as it starts

        hub.Started(new CallRecordStart("c1", T0, "tilleuls", "+33145000000", "+33612345678", 1), resumed: false);
        hub.Started(new CallRecordStart("other", T0, "erables", "+33146000000", "+33611111111", 1), resumed: false);
        hub.Step("c1", T0, CallStepKinds.Ringing, "accueil-1", "tilleuls");
        hub.Step("other", T0, CallStepKinds.Ringing, "accueil-9", "erables"); // a practice without cti: nothing posted
        hub.Step("c1", T0, CallStepKinds.Answered, "accueil-1", "tilleuls");
        hub.Ended("c1", T0, CallOutcomes.Answered, "accueil-1", "caller");

        await receiver.Done.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await webhooks.StopAsync(CancellationToken.None);

        var attempts = receiver.Attempts.ToArray();
        Assert.That(attempts.Select(a => a.Type), Is.EqualTo(new[] { "call.ringing", "call.ringing", "call.answered", "call.ended" }),
            "the ringing event was retried after the 503, before the next event");
        Assert.That(attempts.Select(a => WebhookSignature.Verify(Secret, a.Timestamp, a.Signature, System.Text.Encoding.UTF8.GetBytes(a.Body),
            DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))), Is.All.True);
        var bodies = attempts.Skip(1).Select(a => JsonDocument.Parse(a.Body).RootElement.Clone()).ToList();
        Assert.That(bodies.Select(b => b.GetProperty("sequence").GetInt32()), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(bodies.Select(b => b.GetProperty("call_id").GetString()), Is.All.EqualTo("c1"));
        Assert.That(bodies.Select(b => b.TryGetProperty("caller", out _)), Is.All.False, "caller_numbers defaults to false");
        Assert.That(bodies.Select(b => b.GetProperty("caller_masked").GetString()), Is.All.EqualTo("+336******78"));
        Assert.That(attempts.Skip(1).Select(a => a.Delivery).Distinct().Count(), Is.EqualTo(3));
    }
}
