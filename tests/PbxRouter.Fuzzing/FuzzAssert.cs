namespace PbxRouter.Fuzzing;

/// <summary>A contract check inside a fuzz target (kept apart from NUnit: the target runs on the runner's thread).</summary>
public static class FuzzAssert
{
    public static void That(bool condition, string message)
    {
        if (!condition) throw new FuzzContractException(message);
    }

    public static void That(bool condition, Func<string> message)
    {
        if (!condition) throw new FuzzContractException(message());
    }
}

/// <summary>The code under test answered, but not as its contract says.</summary>
public sealed class FuzzContractException(string message) : Exception(message);
