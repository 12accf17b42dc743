namespace PbxRouter.Calls.Phones;

/// <summary>Settings of feature codes dialled from phones (section "FeatureCodes" of the configuration).</summary>
public sealed class FeatureCodeOptions
{
    /// <summary>PIN tries within one call.</summary>
    public int MaxPinTries { get; set; } = 3;

    /// <summary>Wrong PINs in a row, across calls and phones, after which the practice's feature codes lock (PinAttemptRepository).</summary>
    public int LockAfterWrongPins { get; set; } = 3;

    /// <summary>How long the practice's feature codes stay locked: every code that needs a PIN is refused at once meanwhile.</summary>
    public TimeSpan LockFor { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Longest PIN read; more digits end the read (a DTMF flood cannot hold the call).</summary>
    public int MaxPinDigits { get; set; } = 12;

    public TimeSpan FirstDigit { get; set; } = TimeSpan.FromSeconds(8);
    public TimeSpan BetweenDigits { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Settings that cannot work, each said with its key (checked when the engine starts).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (MaxPinTries < 1) problems.Add($"FeatureCodes:MaxPinTries must be at least 1 (got {MaxPinTries})");
        if (LockAfterWrongPins < 1) problems.Add($"FeatureCodes:LockAfterWrongPins must be at least 1 (got {LockAfterWrongPins})");
        if (LockFor <= TimeSpan.Zero) problems.Add($"FeatureCodes:LockFor must be positive (got {LockFor})");
        return problems;
    }

    /// <summary>Reads the PINs' environment variables (named by pin_env in the rules); replaced in tests.</summary>
    public Func<string, string?> Secrets { get; set; } = Environment.GetEnvironmentVariable;
}
