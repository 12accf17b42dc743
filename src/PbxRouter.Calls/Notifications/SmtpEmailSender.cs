using MailKit.Net.Smtp;
using MailKit.Security;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Notifications;

/// <summary>
/// Sends e-mail notifications through the SMTP server of the settings (MailKit): one connection per attempt, the password
/// from the environment variable the settings name. The audio is read through <see cref="IVoicemailAudio"/>.
/// </summary>
public sealed class SmtpEmailSender(
    NotificationOptions options, TrustedCertificates trust, VoicemailRepository voicemails, IVoicemailAudio audio, Func<string, string?>? environment = null)
    : INotificationSender
{
    private readonly SmtpOptions _smtp = options.Smtp;
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    public bool Handles(NotificationKind kind) => kind == NotificationKind.Email && !string.IsNullOrWhiteSpace(_smtp.Host);

    public async Task SendAsync(NotificationDelivery delivery, CancellationToken ct)
    {
        var payload = delivery.Payload;
        Stream? wav = null;
        try
        {
            string? link = null;
            if (payload.Audio == EmailAudio.Attach)
            {
                // Not in the store (its write failed, or it was deleted since): the e-mail goes without the audio.
                if (await voicemails.GetAsync(payload.Notice.MessageId, ct).ConfigureAwait(false) is { } stored)
                    wav = await audio.OpenReadAsync(stored, ct).ConfigureAwait(false);
            }
            else if (!string.IsNullOrWhiteSpace(_smtp.AudioLink))
                link = _smtp.AudioLink.Replace("{id}", Uri.EscapeDataString(payload.Notice.MessageId), StringComparison.Ordinal);
            using var message = VoicemailEmail.Build(payload, delivery.Target, _smtp.From, wav, link);

            using var client = new SmtpClient { ServerCertificateValidationCallback = trust.Validate };
            await client.ConnectAsync(_smtp.Host, _smtp.Port, _smtp.Security switch
            {
                SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
                SmtpSecurity.None => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            }, ct).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(_smtp.User))
                await client.AuthenticateAsync(_smtp.User, Password(), ct).ConfigureAwait(false);
            try
            {
                await client.SendAsync(message, ct).ConfigureAwait(false);
            }
            catch (SmtpCommandException e) when (e.ErrorCode == SmtpErrorCode.RecipientNotAccepted && (int)e.StatusCode >= 500)
            {
                throw new PermanentNotificationException($"the SMTP server refused the recipient ({(int)e.StatusCode}): check the address in the rules", e);
            }
            await client.DisconnectAsync(true, ct).ConfigureAwait(false);
        }
        finally
        {
            if (wav is not null) await wav.DisposeAsync().ConfigureAwait(false);
        }
    }

    private string Password()
    {
        if (string.IsNullOrEmpty(_smtp.PasswordEnv))
            throw new InvalidOperationException("Notifications:Smtp:User is set but not Notifications:Smtp:PasswordEnv (the environment variable holding the password)");
        return _environment(_smtp.PasswordEnv) is { Length: > 0 } password ? password
            : throw new InvalidOperationException($"the SMTP password is missing: set the environment variable {_smtp.PasswordEnv} of the engine");
    }
}
