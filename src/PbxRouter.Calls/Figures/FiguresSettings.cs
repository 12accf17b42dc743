namespace PbxRouter.Calls.Figures;

/// <summary>
/// The thresholds of a practice's figures (docs/figures.md): answered in time within <see cref="ServiceLevel"/>; a caller
/// who hangs up before <see cref="AbandonAfter"/> is not counted as abandoned; an abandoned caller counts as called back
/// when one of the practice's phones calls their number within <see cref="CallBackWithin"/>.
/// </summary>
public sealed record FiguresSettings(TimeSpan ServiceLevel, TimeSpan AbandonAfter, TimeSpan CallBackWithin)
{
    public static readonly TimeSpan DefaultServiceLevel = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan DefaultAbandonAfter = TimeSpan.FromSeconds(5);
    /// <summary>Three days: a caller who gave up on a Friday evening is called back on Monday morning.</summary>
    public static readonly TimeSpan DefaultCallBackWithin = TimeSpan.FromDays(3);

    public static readonly FiguresSettings Default = new(DefaultServiceLevel, DefaultAbandonAfter, DefaultCallBackWithin);
}
