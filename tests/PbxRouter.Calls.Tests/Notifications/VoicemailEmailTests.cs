using MimeKit;
using PbxRouter.Calls.Notifications;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Tests.Notifications;

public sealed class VoicemailEmailTests
{
    // 24 November 2026 09:05 UTC = 10:05 in Paris (winter time).
    private static readonly VoicemailNotice Notice = new("20261124090500-abc", "tilleuls", "urgences", true, "+33611223344",
        new DateTimeOffset(2026, 11, 24, 9, 5, 0, TimeSpan.Zero), 75, "c1");

    private static MimeMessage RoundTrip(MimeMessage message)
    {
        using var bytes = new MemoryStream();
        message.WriteTo(bytes);
        bytes.Position = 0;
        return MimeMessage.Load(bytes);
    }

    private static NotificationPayload Payload(Notification target) =>
        NotificationPayload.For(Notice, target, "Cabinet médical des Tilleuls", "Europe/Paris");

    [Test]
    public void Build_WithAudio_IsMultipartMixedWithTheWavAttached_AndFrenchUtf8Headers()
    {
        var wav = new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x41, 0x56, 0x45 };
        var target = new Notification(NotificationKind.Email, "dr.martin@tilleuls.example.fr");
        using var built = VoicemailEmail.Build(Payload(target), target.Target, "Standard <pbx@tilleuls.example.fr>", new MemoryStream(wav), null);
        using var raw = new MemoryStream();
        built.WriteTo(raw);
        var headers = System.Text.Encoding.ASCII.GetString(raw.ToArray()).Split("\r\n\r\n")[0];
        var parsed = RoundTrip(built);

        var body = parsed.TextBody;
        var attachment = parsed.Attachments.OfType<MimePart>().Single();
        using var audio = new MemoryStream();
        attachment.Content!.DecodeTo(audio);
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Body!.ContentType.MimeType, Is.EqualTo("multipart/mixed"));
            Assert.That(attachment.ContentType.MimeType, Is.EqualTo("audio/wav"));
            Assert.That(attachment.ContentTransferEncoding, Is.EqualTo(ContentEncoding.Base64));
            Assert.That(parsed.BodyParts.OfType<TextPart>().Single().ContentTransferEncoding, Is.EqualTo(ContentEncoding.QuotedPrintable));
            Assert.That(attachment.FileName, Is.EqualTo("message-20261124-1005.wav"));
            Assert.That(audio.ToArray(), Is.EqualTo(wav));
            Assert.That(parsed.Subject, Is.EqualTo("URGENT - Nouveau message vocal - Cabinet médical des Tilleuls (urgences)"));
            Assert.That(headers, Does.Match(@"Subject: [^\r\n]*=\?utf-8\?b\?").IgnoreCase, "the accented word of the subject is encoded (RFC 2047)");
            Assert.That(headers, Does.Not.Contain("médical"), "no raw 8-bit header");
            Assert.That(parsed.To.Mailboxes.Single().Address, Is.EqualTo("dr.martin@tilleuls.example.fr"));
            Assert.That(parsed.From.Mailboxes.Single().Name, Is.EqualTo("Standard"));
            Assert.That(parsed.Headers["X-PbxRouter-Message"], Is.EqualTo("20261124090500-abc"));
            Assert.That(body, Does.Contain("Nouveau message vocal URGENT dans la boîte « urgences »."));
            Assert.That(body, Does.Contain("Reçu le : mardi 24 novembre 2026 à 10:05 (Europe/Paris)"), "the practice's local time");
            Assert.That(body, Does.Contain("Durée : 1 min 15 s"));
            Assert.That(body, Does.Contain("Appelant : +336******44 (masqué)").And.Not.Contain("611223344"), "masked by default");
            Assert.That(body, Does.Contain("L'enregistrement est joint"));
        });
    }

    [Test]
    public void Build_LinkTarget_HasNoAttachmentButTheLink_AndTheFullNumberWhenTheBoxSaysSo()
    {
        var target = new Notification(NotificationKind.Email, "a@tilleuls.example.fr") { Audio = EmailAudio.Link, Caller = CallerNumberShown.Full };
        var parsed = RoundTrip(VoicemailEmail.Build(Payload(target), target.Target, "pbx@tilleuls.example.fr", null,
            "https://portail.example.fr/messages/20261124090500-abc"));

        Assert.Multiple(() =>
        {
            Assert.That(parsed.Body!.ContentType.MimeType, Is.EqualTo("text/plain"));
            Assert.That(parsed.Body!.ContentType.Charset, Is.EqualTo("utf-8"));
            Assert.That(parsed.Attachments, Is.Empty);
            Assert.That(parsed.TextBody, Does.Contain("Écouter le message : https://portail.example.fr/messages/20261124090500-abc"));
            Assert.That(parsed.TextBody, Does.Contain("Appelant : +33611223344"));
        });
    }

    [Test]
    public void Build_HiddenOrWithheldCaller_SaysSoWithoutANumber()
    {
        var hidden = new Notification(NotificationKind.Email, "a@b.fr") { Caller = CallerNumberShown.Hidden };
        var withheld = new Notification(NotificationKind.Email, "a@b.fr") { Caller = CallerNumberShown.Full };
        Assert.That(VoicemailEmail.Body(Payload(hidden), true, null), Does.Contain("Appelant : non communiqué").And.Not.Contain("+33"));
        Assert.That(VoicemailEmail.Body(NotificationPayload.For(Notice with { CallerNumber = null }, withheld, "T", "Europe/Paris"), true, null),
            Does.Contain("Appelant : numéro masqué par l'appelant"));
    }

    [Test]
    public void FrenchDate_SummerTimeAndFirstOfTheMonth()
    {
        var local = VoicemailEmail.Local(new DateTimeOffset(2026, 7, 1, 6, 0, 0, TimeSpan.Zero), "Europe/Paris");
        Assert.That(VoicemailEmail.FrenchDate(local), Is.EqualTo("mercredi 1er juillet 2026 à 08:00"));
    }
}
