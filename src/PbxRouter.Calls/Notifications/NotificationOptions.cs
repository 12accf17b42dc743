namespace PbxRouter.Calls.Notifications;

/// <summary>Settings of voicemail notifications (section "Notifications" of the configuration).</summary>
public sealed class NotificationOptions
{
    /// <summary>Folder where notifications without a network sender (e-mail targets, tests) are dropped as JSON files; empty: log only.</summary>
    public string DropFolder { get; set; } = "";

    /// <summary>Also drop webhook notifications in <see cref="DropFolder"/> (tests and audits).</summary>
    public bool DropWebhooks { get; set; }

    /// <summary>Timeout of one webhook attempt.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after a failed webhook attempt (exponential backoff with jitter).</summary>
    public int WebhookRetries { get; set; } = 3;

    /// <summary>First retry delay; later ones grow exponentially.</summary>
    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an urgent notification may hold the call's flow before it continues in the background.</summary>
    public TimeSpan UrgentWait { get; set; } = TimeSpan.FromSeconds(10);
}
