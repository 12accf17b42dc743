using MimeKit;
using PbxRouter.Calls.Fallback;
using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;

namespace PbxRouter.IntegrationTests.Notifications;

/// <summary>
/// A patient leaves a message through real Asterisk (SIPp) with `pbxrouter serve` as a child process; the box's targets are
/// a real SMTP server and a real HTTPS receiver on loopback, both with a certificate the test made and the engine trusts
/// through Notifications:TrustedCaPath. On Christmas Day the practice is closed: announcement, then its box.
/// </summary>
[TestFixture]
public sealed class VoicemailNotificationEndToEndTests
{
    private const string PasswordEnv = "PBXTEST_E2E_SMTP_PASSWORD";
    private const string SecretEnv = "PBXTEST_E2E_HOOK_SECRET";

    private TestCertificate _certificate = null!;

    [SetUp]
    public void SetUp()
    {
        _certificate = new TestCertificate();
        // The engine (a child process) inherits them: secrets never go into a file or onto a command line.
        Environment.SetEnvironmentVariable(PasswordEnv, "smtp-e2e-" + Environment.ProcessId);
        Environment.SetEnvironmentVariable(SecretEnv, "hook-e2e-" + Environment.ProcessId);
    }

    [TearDown]
    public void TearDown()
    {
        _certificate.Dispose();
        Environment.SetEnvironmentVariable(PasswordEnv, null);
        Environment.SetEnvironmentVariable(SecretEnv, null);
    }

    private Dictionary<string, string> Settings(int smtpPort, string retryDelay = "00:00:30") => new()
    {
        ["Notifications:TrustedCaPath"] = _certificate.PemPath,
        ["Notifications:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Smtp:Port"] = smtpPort.ToString(),
        ["Notifications:Smtp:Security"] = "StartTls",
        ["Notifications:Smtp:User"] = LocalSmtpServer.User,
        ["Notifications:Smtp:PasswordEnv"] = PasswordEnv,
        ["Notifications:Smtp:From"] = "Standard des Tilleuls <pbx@tilleuls.example.fr>",
        ["Notifications:RetryDelay"] = retryDelay,
        ["Notifications:MaxRetryDelay"] = retryDelay,
        ["Notifications:PollEvery"] = "00:00:01",
        ["Notifications:MaxAttempts"] = "100",
    };

    /// <summary>The tests' rules with the box telling an e-mail address and, when given, a webhook; the caller's number shown in full.</summary>
    private static string Rules(AsteriskInstance asterisk, string? webhook)
    {
        var box = "      - id: tilleuls\n        name: Cabinet\n        caller_number: full\n        notify:\n"
                  + "          - { email: secretariat@tilleuls.example.fr, audio: attach }\n"
                  + (webhook is null ? "" : $"          - {{ webhook: \"{webhook}\", secret_env: {SecretEnv} }}\n");
        var text = PracticeCalls.RulesText(asterisk);
        Assert.That(text, Does.Contain("      - { id: tilleuls, name: Cabinet }\n"));
        return text.Replace("      - { id: tilleuls, name: Cabinet }\n", box);
    }

    private static async Task<VoicemailMessage> LeaveMessageAsync(AsteriskInstance asterisk, ServedPractice practice, string caller)
    {
        var patient = Sipp.Patient(asterisk, "patient-leaves-message.xml", "+33145000000", caller, holdMs: 17000);
        var result = await patient.WaitAsync();
        Assert.That(result.Succeeded, result.ToString());
        var record = await practice.FinishedRecordOfAsync(caller);
        Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Voicemail), PracticeCalls.Describe(record));
        var messages = await new VoicemailRepository(new StoreDatabase(practice.Database, TimeProvider.System), TimeProvider.System)
            .ListAsync("tilleuls", includeListened: true);
        return messages.Single(m => m.CallerNumber == caller);
    }

    private static Task<IReadOnlyList<OutboxEntry>> OutboxAsync(ServedPractice practice) =>
        new NotificationOutboxRepository(new StoreDatabase(practice.Database, TimeProvider.System), TimeProvider.System).ListAsync([], 20);

    [Test]
    public async Task PatientLeavesAMessage_TheMailArrivesWithTheAudio_AndTheReceiverGetsAVerifiedSignedPost()
    {
        await using var asterisk = new AsteriskInstance();
        await asterisk.StartAsync();
        await using var smtp = new LocalSmtpServer(_certificate, Environment.GetEnvironmentVariable(PasswordEnv)!);
        smtp.Start();
        await using var receiver = await LocalHttpsReceiver.StartAsync(_certificate, Environment.GetEnvironmentVariable(SecretEnv)!);
        await using var practice = await ServedPractice.StartAsync(asterisk, PracticeCalls.Christmas, "notify-e2e", Settings(smtp.Port),
            _ => Rules(asterisk, receiver.Url));

        var message = await LeaveMessageAsync(asterisk, practice, "+33630000201");
        var (_, mail) = (await smtp.WaitForAsync(1, TimeSpan.FromSeconds(90), "the e-mail")).Single();
        var post = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(90), "the webhook POST")).Single();

        var attachment = mail.Attachments.OfType<MimePart>().Single();
        using var audio = new MemoryStream();
        attachment.Content!.DecodeTo(audio);
        // The engine marks an entry sent after the receiver has it: wait until neither is pending or being sent.
        var outbox = await SettledOutboxAsync(practice, 2);
        Assert.Multiple(() =>
        {
            Assert.That(mail.Subject, Is.EqualTo("Nouveau message vocal - Cabinet médical des Tilleuls (tilleuls)"));
            Assert.That(mail.Body!.ContentType.MimeType, Is.EqualTo("multipart/mixed"));
            Assert.That(attachment.ContentType.MimeType, Is.EqualTo("audio/wav"));
            Assert.That(audio.ToArray()[..4], Is.EqualTo("RIFF"u8.ToArray()), "a WAV file");
            // Asterisk reports the recording's duration in whole seconds; the file's own length may round the other way.
            Assert.That(WavDuration.Seconds(audio.ToArray()), Is.InRange(message.DurationSeconds - 1, message.DurationSeconds + 1),
                "the message's own audio, from Asterisk");
            Assert.That(mail.TextBody, Does.Contain("Reçu le : vendredi 25 décembre 2026 à 10:"), "Paris time");
            Assert.That(mail.TextBody, Does.Contain("Appelant : +33630000201"), "caller_number: full");
            Assert.That(mail.TextBody, Does.Contain($"Référence : {message.Id}"));
            Assert.That(post.Verified, Is.True, "the receiver verified the HMAC over timestamp.body");
            Assert.That(post.Body, Does.Contain($"\"messageId\":\"{message.Id}\""));
            Assert.That(outbox.Select(e => (e.TargetKind, e.State, e.Attempts)),
                Is.EquivalentTo(new[] { ("email", OutboxStates.Sent, 1), ("webhook", OutboxStates.Sent, 1) }));
        });
        Assert.That(practice.Engine.Output, Does.Not.Contain(Environment.GetEnvironmentVariable(PasswordEnv)!)
            .And.Not.Contain(Environment.GetEnvironmentVariable(SecretEnv)!), "no secret in the engine's log");
    }

    [Test]
    public async Task SmtpDownWhenTheMessageIsLeft_EngineRestarted_TheMailArrivesExactlyOnceWhenTheServerIsUp()
    {
        await using var asterisk = new AsteriskInstance();
        await asterisk.StartAsync();
        await using var smtp = new LocalSmtpServer(_certificate, Environment.GetEnvironmentVariable(PasswordEnv)!); // not started: down
        await using var practice = await ServedPractice.StartAsync(asterisk, PracticeCalls.Christmas, "notify-restart",
            Settings(smtp.Port, retryDelay: "00:00:02"), _ => Rules(asterisk, webhook: null));

        var message = await LeaveMessageAsync(asterisk, practice, "+33630000202");
        var failing = await WaitForOutboxAsync(practice, e => e.Attempts >= 1 && e.LastError is not null, "a failed attempt while the server is down");
        Assert.That(failing.State, Is.Not.EqualTo(OutboxStates.Sent));

        await practice.RestartAsync(kill: true);
        smtp.Start();
        var (_, mail) = (await smtp.WaitForAsync(1, TimeSpan.FromSeconds(90), "the e-mail after the restart")).Single();
        var sent = await WaitForOutboxAsync(practice, e => e.State == OutboxStates.Sent, "the entry marked sent");
        await Task.Delay(TimeSpan.FromSeconds(6)); // several of the dispatcher's passes (PollEvery 1 s, retries 2 s)

        Assert.Multiple(() =>
        {
            Assert.That(smtp.Received, Has.Count.EqualTo(1), "exactly once");
            Assert.That(mail.Headers["X-PbxRouter-Message"], Is.EqualTo(message.Id));
            Assert.That(mail.Attachments.OfType<MimePart>().Single().ContentType.MimeType, Is.EqualTo("audio/wav"));
            Assert.That(sent.Attempts, Is.GreaterThanOrEqualTo(2), "tried while down, sent by the engine started after");
            Assert.That(practice.Engine.Output, Does.Contain($"email notification {sent.Id} sent"), "sent by the new engine");
        });
        TestContext.Out.WriteLine($"outbox entry {sent.Id}: {sent.Attempts} attempt(s), created {sent.CreatedAt:HH:mm:ss.fff}, sent {sent.SentAt:HH:mm:ss.fff}");
    }

    private static async Task<IReadOnlyList<OutboxEntry>> SettledOutboxAsync(ServedPractice practice, int count)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            var entries = (await OutboxAsync(practice)).ToList();
            if (entries.Count == count && entries.All(e => e.State is not (OutboxStates.Pending or OutboxStates.Sending))) return entries;
            if (limit.IsCancellationRequested) Assert.Fail($"timed out waiting for {count} settled outbox entries: {string.Join("; ", entries)}");
            await Task.Delay(200);
        }
    }

    private static async Task<OutboxEntry> WaitForOutboxAsync(ServedPractice practice, Func<OutboxEntry, bool> done, string what)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            var entry = (await OutboxAsync(practice)).SingleOrDefault();
            if (entry is not null && done(entry)) return entry;
            if (limit.IsCancellationRequested) Assert.Fail($"timed out waiting for {what}: {entry}\n{practice.Engine.Output}");
            await Task.Delay(200);
        }
    }
}
