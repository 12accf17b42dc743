using System.Globalization;
using MimeKit;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Notifications;

/// <summary>
/// The French e-mail telling a practice about a new message: practice, box, urgent or not, date and time in the practice's
/// time zone, caller as the box shows it, duration; the WAV attached (multipart/mixed, audio/wav) or a link.
/// </summary>
public static class VoicemailEmail
{
    private static readonly string[] Days = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"];
    private static readonly string[] Months =
        ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

    /// <param name="audio">The message's WAV to attach (null: none, e.g. a link target or audio no longer there).</param>
    /// <param name="link">The link of a link target (null: none configured).</param>
    public static MimeMessage Build(NotificationPayload payload, string to, string from, Stream? audio, string? link)
    {
        var n = payload.Notice;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = $"{(n.Urgent ? "URGENT - " : "")}Nouveau message vocal - {payload.PracticeName} ({n.Box})";
        message.Date = n.RecordedAt;
        message.Headers.Add("X-PbxRouter-Message", n.MessageId);

        // Quoted-printable: the French text passes 7-bit relays unharmed.
        var text = new TextPart("plain") { Text = Body(payload, audio is not null, link), ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        text.ContentType.Charset = "utf-8";
        if (audio is null)
        {
            message.Body = text;
            return message;
        }
        var attachment = new MimePart("audio", "wav")
        {
            Content = new MimeContent(audio),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = $"message-{Local(n.RecordedAt, payload.TimeZone):yyyyMMdd-HHmm}.wav",
        };
        message.Body = new Multipart("mixed") { text, attachment };
        return message;
    }

    /// <summary>The text of the e-mail (plain, French).</summary>
    public static string Body(NotificationPayload payload, bool attached, string? link)
    {
        var n = payload.Notice;
        var at = Local(n.RecordedAt, payload.TimeZone);
        var lines = new List<string>
        {
            payload.PracticeName,
            n.Urgent ? $"Nouveau message vocal URGENT dans la boîte « {n.Box} »." : $"Nouveau message vocal dans la boîte « {n.Box} ».",
            "",
            $"Reçu le : {FrenchDate(at)} ({payload.TimeZone})",
            $"Appelant : {Caller(payload)}",
            $"Durée : {Duration(n.DurationSeconds)}",
            $"Référence : {n.MessageId}",
            "",
            attached ? "L'enregistrement est joint à ce message (fichier WAV)."
                : link is not null ? $"Écouter le message : {link}"
                : payload.Audio == EmailAudio.Link ? "Écoutez le message depuis un poste du cabinet (*97)."
                : "L'enregistrement n'a pas pu être joint : écoutez le message depuis un poste du cabinet (*97).",
            "",
            "Ce message contient des données de santé : ne le transférez pas hors du cabinet.",
        };
        return string.Join("\r\n", lines) + "\r\n";
    }

    /// <summary>"mardi 24 novembre 2026 à 10:05".</summary>
    public static string FrenchDate(DateTimeOffset local) =>
        $"{Days[(int)local.DayOfWeek]} {local.Day}{(local.Day == 1 ? "er" : "")} {Months[local.Month - 1]} {local.Year} à {local.ToString("HH:mm", CultureInfo.InvariantCulture)}";

    /// <summary>The instant in the practice's time zone (UTC when the zone is unknown to this machine).</summary>
    public static DateTimeOffset Local(DateTimeOffset at, string timeZone)
    {
        try
        {
            return TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(timeZone));
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return at.ToUniversalTime();
        }
    }

    private static string Caller(NotificationPayload payload) => payload.Caller switch
    {
        CallerNumberShown.Hidden => "non communiqué (réglage de la boîte)",
        _ when payload.Notice.CallerNumber is null => "numéro masqué par l'appelant",
        CallerNumberShown.Masked => $"{payload.Notice.CallerNumber} (masqué)",
        _ => payload.Notice.CallerNumber!,
    };

    private static string Duration(int seconds) => seconds < 60 ? $"{seconds} s" : $"{seconds / 60} min {seconds % 60:00} s";
}
