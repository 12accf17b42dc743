using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using PbxRouter.Calls.Notifications;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Tests.Notifications;

public sealed class WebhookSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"messageId\":\"m1\"}");

    [Test]
    public void Sign_KnownVector()
    {
        // python3: hmac.new(b'whsec_test_secret', b'1795000000.{"messageId":"m1"}', hashlib.sha256).hexdigest()
        Assert.That(WebhookSignature.Sign("whsec_test_secret", 1795000000, Body),
            Is.EqualTo("v1=3c8ea9ea9354e28e689cc777fa1c7094718e095fdb3dbdda3e4c3c158b6d295a"));
    }

    [Test]
    public void Verify_RefusesAnotherBodySecretOrAnOldTimestamp()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1795000000);
        var signature = WebhookSignature.Sign("s3cret", 1795000000, Body);
        var tolerance = TimeSpan.FromMinutes(5);
        Assert.Multiple(() =>
        {
            Assert.That(WebhookSignature.Verify("s3cret", "1795000000", signature, Body, now, tolerance), Is.True);
            Assert.That(WebhookSignature.Verify("s3cret", "1795000000", signature, Encoding.UTF8.GetBytes("{\"messageId\":\"m2\"}"), now, tolerance), Is.False);
            Assert.That(WebhookSignature.Verify("other", "1795000000", signature, Body, now, tolerance), Is.False);
            Assert.That(WebhookSignature.Verify("s3cret", "1795000000", signature, Body, now.AddMinutes(6), tolerance), Is.False, "a replay 6 min later");
            Assert.That(WebhookSignature.Verify("s3cret", "1795000001", signature, Body, now, tolerance), Is.False, "the timestamp is signed");
            Assert.That(WebhookSignature.Verify("s3cret", null, signature, Body, now, tolerance), Is.False);
        });
    }

    [Test]
    public async Task WebhookSender_SignsTheExactBody_AndSaysWhichDelivery()
    {
        var http = new ScriptedHttp();
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1795000000));
        using var sender = new WebhookSender(new TrustedCertificates(null), time, v => v == "HOOK_SECRET" ? "s3cret" : null, http);

        await sender.SendAsync(Delivery("HOOK_SECRET"), CancellationToken.None);

        var request = http.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Headers["X-PbxRouter-Timestamp"], Is.EqualTo("1795000000"));
            Assert.That(request.Headers["X-PbxRouter-Delivery"], Is.EqualTo("42"));
            Assert.That(WebhookSignature.Verify("s3cret", request.Headers["X-PbxRouter-Timestamp"], request.Headers["X-PbxRouter-Signature"],
                request.Body, time.GetUtcNow(), TimeSpan.FromMinutes(5)), Is.True);
            Assert.That(Encoding.UTF8.GetString(request.Body), Does.Contain("\"messageId\":\"m1\"").And.Contain("\"urgent\":true"));
            Assert.That(request.ContentType, Is.EqualTo("application/json; charset=utf-8"));
        });
    }

    [Test]
    public void WebhookSender_WithoutItsSecret_SendsNothing()
    {
        var http = new ScriptedHttp();
        using var sender = new WebhookSender(new TrustedCertificates(null), TimeProvider.System, _ => null, http);

        var e = Assert.ThrowsAsync<InvalidOperationException>(() => sender.SendAsync(Delivery("HOOK_SECRET"), CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("HOOK_SECRET"));
        Assert.That(http.Requests, Is.Empty, "never unsigned");
    }

    [Test]
    public void WebhookSender_ATargetWithoutSecretEnv_IsRefusedForGood()
    {
        var http = new ScriptedHttp();
        using var sender = new WebhookSender(new TrustedCertificates(null), TimeProvider.System, _ => "s", http);

        Assert.ThrowsAsync<PermanentNotificationException>(() => sender.SendAsync(Delivery(null), CancellationToken.None));
        Assert.That(http.Requests, Is.Empty);
    }

    [TestCase(HttpStatusCode.NotFound, true)]
    [TestCase(HttpStatusCode.Unauthorized, true)]
    [TestCase(HttpStatusCode.ServiceUnavailable, false)]
    [TestCase(HttpStatusCode.TooManyRequests, false)]
    public void WebhookSender_Refusals_ArePermanentServerErrorsAreRetried(HttpStatusCode status, bool permanent)
    {
        using var sender = new WebhookSender(new TrustedCertificates(null), TimeProvider.System, _ => "s", new ScriptedHttp(status));

        var e = Assert.CatchAsync(() => sender.SendAsync(Delivery("S"), CancellationToken.None));
        Assert.That(e, permanent ? Is.InstanceOf<PermanentNotificationException>() : Is.InstanceOf<HttpRequestException>());
    }

    private static NotificationDelivery Delivery(string? secretEnv)
    {
        var notice = new VoicemailNotice("m1", "tilleuls", "urgences", true, "+33611223344", DateTimeOffset.FromUnixTimeSeconds(1795000000), 12, "c1");
        var target = new Notification(NotificationKind.Webhook, "https://alerts.example.fr/urgent") { SecretEnv = secretEnv };
        return new NotificationDelivery(42, NotificationKind.Webhook, target.Target, NotificationPayload.For(notice, target, "Tilleuls", "Europe/Paris"));
    }

    private sealed record Captured(Dictionary<string, string> Headers, byte[] Body, string? ContentType);

    private sealed class ScriptedHttp(HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
    {
        public List<Captured> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Requests.Add(new Captured(request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value)),
                await request.Content!.ReadAsByteArrayAsync(ct), request.Content.Headers.ContentType?.ToString()));
            return new HttpResponseMessage(status);
        }
    }
}
