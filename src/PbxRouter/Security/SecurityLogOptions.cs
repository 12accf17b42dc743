namespace PbxRouter.Security;

/// <summary>Where Asterisk writes its security events (section "Asterisk"), and how often refusals are summed up.</summary>
public sealed class SecurityLogOptions
{
    /// <summary>Asterisk's security log (logger.conf "security => security"); empty: not watched.</summary>
    public string SecurityLogPath { get; set; } = "";

    /// <summary>After the first warning about a source address, at most one summary per this period.</summary>
    public TimeSpan SecurityReportEvery { get; set; } = TimeSpan.FromMinutes(5);
}
