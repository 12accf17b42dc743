namespace PbxRouter.Calls.Provisioning;

/// <summary>Settings of the Asterisk provisioning (section "Asterisk" of the configuration).</summary>
public sealed class ProvisioningOptions
{
    /// <summary>Where the generated PJSIP configuration is written (pjsip.conf includes it); empty: no provisioning.</summary>
    public string GeneratedConfigPath { get; set; } = "";

    /// <summary>Overrides how often phones are qualified (SIP OPTIONS), in seconds; null keeps pjsip.conf's template (30 s).</summary>
    public int? PhoneQualifySeconds { get; set; }

    /// <summary>The practices' fallback routes (extensions.conf includes it): extensions_generated.conf next to the PJSIP file.</summary>
    public string GeneratedDialplanPath =>
        Enabled ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(GeneratedConfigPath)) ?? "", "extensions_generated.conf") : "";

    /// <summary>Settings "Sip" (not "Asterisk:Sip"): which transports trunks may use.</summary>
    public SipOptions Sip { get; set; } = new();

    public bool Enabled => !string.IsNullOrWhiteSpace(GeneratedConfigPath);
}
