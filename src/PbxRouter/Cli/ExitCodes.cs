namespace PbxRouter.Cli;

/// <summary>Exit codes of every verb (documented in README "Command line").</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The input (rules, numbers, options) is invalid; nothing was changed.</summary>
    public const int InvalidInput = 1;
    /// <summary>The configuration is incomplete or wrong (missing ARI password, bad URL...).</summary>
    public const int BadConfiguration = 2;
    /// <summary>A dependency failed (database, Asterisk) in a way that retries did not fix.</summary>
    public const int Failure = 3;
}
