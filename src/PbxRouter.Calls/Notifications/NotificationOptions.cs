namespace PbxRouter.Calls.Notifications;

/// <summary>Settings of voicemail notifications (section "Notifications" of the configuration).</summary>
public sealed class NotificationOptions
{
    /// <summary>How long an urgent box's notifications may hold the call's flow before they continue in the background.</summary>
    public TimeSpan UrgentWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per notification (the first included) before it is marked failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay before the second attempt; each later one doubles, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest delay between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Time limit of one attempt (connection, TLS, sending).</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the dispatcher looks at the outbox when nothing wakes it (new entries wake it at once).</summary>
    public TimeSpan PollEvery { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A PEM file of one extra CA certificate trusted for webhooks' HTTPS and SMTP's TLS, besides the system's; empty: system only.</summary>
    public string TrustedCaPath { get; set; } = "";

    /// <summary>Where e-mail notifications are written as JSON files when no SMTP server is set (<see cref="SmtpOptions.Host"/> empty).</summary>
    public string DropFolder { get; set; } = "";

    /// <summary>The SMTP server e-mail notifications go through.</summary>
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Settings that cannot work, each with the key to fix.</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxAttempts < 1) yield return $"Notifications:MaxAttempts {MaxAttempts}: at least 1";
        if (RetryDelay <= TimeSpan.Zero || MaxRetryDelay < RetryDelay) yield return "Notifications:RetryDelay must be positive and at most Notifications:MaxRetryDelay";
        if (SendTimeout <= TimeSpan.Zero || PollEvery <= TimeSpan.Zero || UrgentWait < TimeSpan.Zero)
            yield return "Notifications:SendTimeout and PollEvery must be positive, UrgentWait not negative";
        if (!string.IsNullOrWhiteSpace(TrustedCaPath) && !File.Exists(TrustedCaPath))
            yield return $"Notifications:TrustedCaPath: no file {TrustedCaPath} (the PEM of the CA certificate to trust)";
        if (string.IsNullOrWhiteSpace(Smtp.Host)) yield break;
        if (Smtp.Port is < 1 or > 65535) yield return $"Notifications:Smtp:Port {Smtp.Port} is not a port";
        if (string.IsNullOrWhiteSpace(Smtp.From) || !MimeKit.MailboxAddress.TryParse(Smtp.From, out _))
            yield return $"Notifications:Smtp:From '{Smtp.From}' is not a sender address (e.g. Standard des Tilleuls <pbx@tilleuls.fr>)";
        if (!string.IsNullOrEmpty(Smtp.User) && string.IsNullOrWhiteSpace(Smtp.PasswordEnv))
            yield return "Notifications:Smtp:User is set: name the environment variable holding its password in Notifications:Smtp:PasswordEnv";
    }
}

/// <summary>SMTP settings (section "Notifications:Smtp"); the password comes from the environment variable named here.</summary>
public sealed class SmtpOptions
{
    /// <summary>The server's host name; empty: no e-mail is sent (see <see cref="NotificationOptions.DropFolder"/>).</summary>
    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    /// <summary>StartTls (default), Tls (TLS from the first byte, port 465) or None (loopback relays only).</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>Login; empty: no authentication.</summary>
    public string User { get; set; } = "";

    /// <summary>Name of the environment variable holding the password (the password itself is never in a file).</summary>
    public string PasswordEnv { get; set; } = "";

    /// <summary>The sender address, e.g. "Standard du cabinet &lt;pbx@tilleuls.fr&gt;".</summary>
    public string From { get; set; } = "";

    /// <summary>Link put in e-mails of targets with `audio: link`: "{id}" becomes the message id (e.g. https://portail.example.fr/messages/{id}).</summary>
    public string AudioLink { get; set; } = "";
}

/// <summary>How the SMTP connection is protected.</summary>
public enum SmtpSecurity { StartTls, Tls, None }
