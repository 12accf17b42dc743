using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Calls.Notifications;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Tests.Notifications;

public sealed class NotificationTests
{
    private static readonly VoicemailNotice Notice = new("m1", "tilleuls", "tilleuls-urgent", true, "+33611223344",
        new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.Zero), 12, "call-1");

    private static readonly Notification Hook = new(NotificationKind.Webhook, "https://alerts.example.fr/urgent");

    /// <summary>Answers the statuses in order, then 200; keeps the bodies.</summary>
    private sealed class ScriptedHttp(params HttpStatusCode[] statuses) : HttpMessageHandler
    {
        private int _calls;
        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Bodies.Add(await request.Content!.ReadAsStringAsync(ct));
            var i = _calls++;
            return new HttpResponseMessage(i < statuses.Length ? statuses[i] : HttpStatusCode.OK);
        }
    }

    private static NotificationOptions FastRetries => new() { WebhookRetries = 3, WebhookRetryDelay = TimeSpan.FromMilliseconds(5) };

    [Test]
    public async Task Webhook_ServerErrorsThenOk_IsRetriedUntilDelivered()
    {
        var http = new ScriptedHttp(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway);
        var sender = new WebhookSender(FastRetries, NullLogger<WebhookSender>.Instance, http);

        await sender.SendAsync(Notice, Hook, CancellationToken.None);

        Assert.That(http.Bodies, Has.Count.EqualTo(3));
        Assert.That(http.Bodies[^1], Does.Contain("\"messageId\":\"m1\"").And.Contain("\"urgent\":true").And.Contain("\"box\":\"tilleuls-urgent\""));
    }

    [Test]
    public void Webhook_AlwaysFailing_ThrowsAfterTheRetries()
    {
        var http = new ScriptedHttp(Enumerable.Repeat(HttpStatusCode.InternalServerError, 10).ToArray());
        var sender = new WebhookSender(FastRetries, NullLogger<WebhookSender>.Instance, http);

        Assert.ThrowsAsync<HttpRequestException>(() => sender.SendAsync(Notice, Hook, CancellationToken.None));
        Assert.That(http.Bodies, Has.Count.EqualTo(4), "one attempt and 3 retries");
    }

    [Test]
    public async Task Webhook_Refused404_IsNotRetried()
    {
        var http = new ScriptedHttp(HttpStatusCode.NotFound);
        var sender = new WebhookSender(FastRetries, NullLogger<WebhookSender>.Instance, http);

        await Task.CompletedTask;
        Assert.ThrowsAsync<WebhookRefusedException>(() => sender.SendAsync(Notice, Hook, CancellationToken.None));
        Assert.That(http.Bodies, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task DropFolder_WritesOneJsonFileWithTheCallerMasked()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pbxrouter-drop-" + Guid.NewGuid().ToString("N"));
        var sender = new DropFolderSender(new NotificationOptions { DropFolder = folder }, NullLogger<DropFolderSender>.Instance);

        await sender.SendAsync(Notice, new Notification(NotificationKind.Email, "dr.martin@example.fr"), CancellationToken.None);

        var file = Directory.GetFiles(folder, "*.json").Single();
        var text = await File.ReadAllTextAsync(file);
        Directory.Delete(folder, true);
        Assert.That(text, Does.Contain("m1").And.Contain("dr.martin@example.fr").And.Not.Contain("+33611223344"));
    }

    [Test]
    public void DropFolder_HandlesEmailButNotWebhooksUnlessAsked()
    {
        var plain = new DropFolderSender(new NotificationOptions(), NullLogger<DropFolderSender>.Instance);
        var all = new DropFolderSender(new NotificationOptions { DropWebhooks = true }, NullLogger<DropFolderSender>.Instance);

        Assert.That(plain.Handles(new Notification(NotificationKind.Email, "a@b.fr")), Is.True);
        Assert.That(plain.Handles(Hook), Is.False);
        Assert.That(all.Handles(Hook), Is.True);
    }

    [Test]
    public async Task Notifier_FailingSender_NeverThrowsAndOthersStillSend()
    {
        var failing = new CapturingSender(fail: true);
        var working = new CapturingSender();
        var notifier = new VoicemailNotifier([failing, working], new NotificationOptions(), NullLogger<VoicemailNotifier>.Instance);

        await notifier.NotifyAsync(Notice, [Hook], CancellationToken.None);

        Assert.That(working.Sent, Has.Count.EqualTo(1));
        Assert.That(failing.Sent, Has.Count.EqualTo(1));
    }
}
