using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Notifications;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.IntegrationTests.Notifications;

/// <summary>
/// The outbox's senders against real parts on loopback, without Asterisk: an SMTP server (STARTTLS, login) and an HTTPS
/// receiver (Kestrel), both with a self-signed certificate the test makes and the settings' TrustedCaPath trusts.
/// </summary>
[TestFixture]
public sealed class NotificationDeliveryTests
{
    private const string PasswordEnv = "PBXTEST_SMTP_PASSWORD";
    private const string SecretEnv = "PBXTEST_HOOK_SECRET";
    private static readonly byte[] Wav = WavOf(seconds: 2);

    private string _folder = "";
    private StoreDatabase _db = null!;
    private TestCertificate _certificate = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "pbxrouter-it", "notify-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_folder);
        _db = new StoreDatabase(Path.Combine(_folder, "pbxrouter.db"), TimeProvider.System);
        await _db.MigrateAsync();
        _certificate = new TestCertificate();
        Environment.SetEnvironmentVariable(PasswordEnv, "smtp-pw-" + Environment.ProcessId);
        Environment.SetEnvironmentVariable(SecretEnv, "hook-secret-" + Environment.ProcessId);
    }

    [TearDown]
    public void TearDown()
    {
        _certificate.Dispose();
        Environment.SetEnvironmentVariable(PasswordEnv, null);
        Environment.SetEnvironmentVariable(SecretEnv, null);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private NotificationOptions Options(int smtpPort, bool trustTheCertificate = true) => new()
    {
        TrustedCaPath = trustTheCertificate ? _certificate.PemPath : "",
        MaxAttempts = 3,
        RetryDelay = TimeSpan.FromMinutes(1),
        Smtp = new SmtpOptions
        {
            Host = "127.0.0.1", Port = smtpPort, Security = SmtpSecurity.StartTls, User = LocalSmtpServer.User, PasswordEnv = PasswordEnv,
            From = "Standard des Tilleuls <pbx@tilleuls.example.fr>",
        },
    };

    private (VoicemailNotifier, NotificationDispatcher, NotificationOutboxRepository) Notifier(NotificationOptions options)
    {
        var trust = new TrustedCertificates(options.TrustedCaPath);
        var outbox = new NotificationOutboxRepository(_db, TimeProvider.System);
        var dispatcher = new NotificationDispatcher(outbox, [
            new SmtpEmailSender(options, trust, new VoicemailRepository(_db, TimeProvider.System), new BytesAudio(Wav)),
            new WebhookSender(trust, TimeProvider.System),
        ], options, TimeProvider.System, NullLogger<NotificationDispatcher>.Instance);
        return (new VoicemailNotifier(outbox, dispatcher, options, NullLogger<VoicemailNotifier>.Instance), dispatcher, outbox);
    }

    private async Task<VoicemailNotice> StoredMessageAsync()
    {
        var message = new VoicemailMessage("20261225091000-e2e", "tilleuls", "tilleuls", "+33630000123",
            new DateTimeOffset(2026, 12, 25, 9, 10, 0, TimeSpan.Zero), 2, "vm~tilleuls~tilleuls~x", false, "call-1");
        await new VoicemailRepository(_db, TimeProvider.System).AddAsync(message);
        return new VoicemailNotice(message.Id, message.PracticeId, message.Box, message.Urgent, message.CallerNumber, message.RecordedAt,
            message.DurationSeconds, message.CallId);
    }

    [Test]
    public async Task Email_ThroughARealSmtpServer_StartTlsAndLogin_ArrivesWellFormedWithTheWav()
    {
        await using var smtp = new LocalSmtpServer(_certificate, Environment.GetEnvironmentVariable(PasswordEnv)!);
        smtp.Start();
        var (notifier, dispatcher, outbox) = Notifier(Options(smtp.Port));
        var notice = await StoredMessageAsync();

        await notifier.NotifyAsync(notice with { Urgent = true }, [new Notification(NotificationKind.Email, "secretariat@tilleuls.example.fr")], CancellationToken.None);
        await dispatcher.DrainAsync();

        var (raw, mail) = (await smtp.WaitForAsync(1, TimeSpan.FromSeconds(30), "the e-mail")).Single();
        var attachment = mail.Attachments.OfType<MimePart>().Single();
        using var audio = new MemoryStream();
        attachment.Content!.DecodeTo(audio);
        var entry = (await outbox.ListAsync([], 10)).Single();
        var headers = System.Text.Encoding.ASCII.GetString(raw).Split("\r\n\r\n")[0];
        Assert.Multiple(() =>
        {
            Assert.That(entry.State, Is.EqualTo(OutboxStates.Sent), entry.LastError);
            Assert.That(mail.Body!.ContentType.MimeType, Is.EqualTo("multipart/mixed"));
            Assert.That(attachment.ContentType.MimeType, Is.EqualTo("audio/wav"));
            Assert.That(audio.ToArray(), Is.EqualTo(Wav), "the audio read through IVoicemailAudio, intact");
            Assert.That(mail.Subject, Is.EqualTo("URGENT - Nouveau message vocal - tilleuls (tilleuls)"));
            Assert.That(headers, Does.Not.Contain("é"), "headers are 7-bit (encoded words)");
            Assert.That(mail.From.Mailboxes.Single().Address, Is.EqualTo("pbx@tilleuls.example.fr"));
            Assert.That(mail.To.Mailboxes.Single().Address, Is.EqualTo("secretariat@tilleuls.example.fr"));
            Assert.That(mail.TextBody, Does.Contain("Reçu le : vendredi 25 décembre 2026 à 10:10 (Europe/Paris)"));
            Assert.That(mail.TextBody, Does.Contain("(masqué)").And.Not.Contain("630000123"), "masked by default");
            Assert.That(smtp.RefusedLogins, Is.Zero);
        });
    }

    [Test]
    public async Task Email_WithACertificateNobodyTrusts_IsNotSent_AndStaysPendingWithTheReason()
    {
        await using var smtp = new LocalSmtpServer(_certificate, Environment.GetEnvironmentVariable(PasswordEnv)!);
        smtp.Start();
        var (notifier, dispatcher, outbox) = Notifier(Options(smtp.Port, trustTheCertificate: false));

        await notifier.NotifyAsync(await StoredMessageAsync(), [new Notification(NotificationKind.Email, "secretariat@tilleuls.example.fr")], CancellationToken.None);
        await dispatcher.DrainAsync();

        var entry = (await outbox.ListAsync([], 10)).Single();
        Assert.That((entry.State, entry.Attempts), Is.EqualTo((OutboxStates.Pending, 1)));
        Assert.That(entry.LastError, Does.Contain("certificate").IgnoreCase);
        Assert.That(smtp.Received, Is.Empty);
    }

    [Test]
    public async Task Webhook_ToARealHttpsReceiver_WithASelfSignedCertificateTrustedBySettings_IsSignedAndVerified()
    {
        await using var receiver = await LocalHttpsReceiver.StartAsync(_certificate, Environment.GetEnvironmentVariable(SecretEnv)!);
        var (notifier, dispatcher, outbox) = Notifier(Options(FreePorts.Tcp()));
        var target = new Notification(NotificationKind.Webhook, receiver.Url) { SecretEnv = SecretEnv, Caller = CallerNumberShown.Full };

        await notifier.NotifyAsync(await StoredMessageAsync(), [target], CancellationToken.None);
        await dispatcher.DrainAsync();

        var post = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(30), "the webhook")).Single();
        var entry = (await outbox.ListAsync([], 10)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(post.Verified, Is.True, $"signature {post.Signature} over {post.Timestamp}.{post.Body}");
            Assert.That(post.Signature, Does.Match("^v1=[0-9a-f]{64}$"));
            Assert.That(post.Delivery, Is.EqualTo(entry.Id.ToString()));
            Assert.That(post.Body, Does.Contain("\"messageId\":\"20261225091000-e2e\"").And.Contain("\"callerNumber\":\"+33630000123\""));
            Assert.That(entry.State, Is.EqualTo(OutboxStates.Sent), entry.LastError);
        });
    }

    [Test]
    public async Task Webhook_SignedWithAnotherSecret_IsRefusedByTheReceiver_AndFailedAtOnce()
    {
        await using var receiver = await LocalHttpsReceiver.StartAsync(_certificate, "the receiver's other secret");
        var (notifier, dispatcher, outbox) = Notifier(Options(FreePorts.Tcp()));

        await notifier.NotifyAsync(await StoredMessageAsync(), [new Notification(NotificationKind.Webhook, receiver.Url) { SecretEnv = SecretEnv }],
            CancellationToken.None);
        await dispatcher.DrainAsync();

        var entry = (await outbox.ListAsync([], 10)).Single();
        Assert.That(receiver.Posts.Single().Verified, Is.False);
        Assert.That((entry.State, entry.LastError), Is.EqualTo((OutboxStates.Failed, "webhook refused the notification (401): check the URL and the secret in the rules")));
    }

    /// <summary>A 16-bit 8 kHz mono PCM WAV of silence.</summary>
    private static byte[] WavOf(int seconds)
    {
        var data = 8000 * 2 * seconds;
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write("RIFF"u8); w.Write(36 + data); w.Write("WAVE"u8); w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1);
        w.Write(8000); w.Write(16000); w.Write((short)2); w.Write((short)16); w.Write("data"u8); w.Write(data); w.Write(new byte[data]);
        w.Flush();
        return stream.ToArray();
    }

    private sealed class BytesAudio(byte[] wav) : IVoicemailAudio
    {
        public string PlaybackMedia(VoicemailMessage message) => "";
        public Task<Stream?> OpenReadAsync(VoicemailMessage message, CancellationToken ct) => Task.FromResult<Stream?>(new MemoryStream(wav));
        public Task DeleteAsync(VoicemailMessage message, CancellationToken ct) => Task.CompletedTask;
    }
}
