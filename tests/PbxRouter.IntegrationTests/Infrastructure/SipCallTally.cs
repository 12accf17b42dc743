namespace PbxRouter.IntegrationTests.Infrastructure;

/// <summary>Counts the SIP calls the tests placed through a real Asterisk, for the run's summary.</summary>
public static class SipCallTally
{
    private static int _placed;
    private static int _passed;

    public static int PlacedCount => _placed;
    public static int PassedCount => _passed;
    public static void Placed() => Interlocked.Increment(ref _placed);
    public static void Passed() => Interlocked.Increment(ref _passed);
}
