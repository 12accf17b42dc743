using System.Globalization;

namespace PbxRouter.Fuzzing;

/// <summary>How long a fuzz test runs and with which seed; the test command's defaults, overridden by environment variables:
/// PBXROUTER_FUZZ_SEED, PBXROUTER_FUZZ_ITERATIONS, PBXROUTER_FUZZ_START (first iteration, to replay one input),
/// PBXROUTER_FUZZ_MINUTES (time budget; without an iteration count, runs until it is spent) and PBXROUTER_FUZZ_ARTIFACTS.</summary>
public sealed record FuzzSettings
{
    public int Seed { get; init; }
    public long Start { get; init; }
    public long Iterations { get; init; }
    public TimeSpan? TimeBudget { get; init; }
    public string ArtifactsDirectory { get; init; } = "";
    /// <summary>An input taking longer than this is reported as pathologically slow.</summary>
    public TimeSpan SlowInput { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>An input still running after this is reported as a hang (its thread is left behind).</summary>
    public TimeSpan Hang { get; init; } = TimeSpan.FromSeconds(60);

    public static FuzzSettings FromEnvironment(long defaultIterations, int defaultSeed = 1)
    {
        var minutes = Number("PBXROUTER_FUZZ_MINUTES", double.Parse);
        var iterations = Number("PBXROUTER_FUZZ_ITERATIONS", long.Parse);
        return new FuzzSettings
        {
            Seed = Number("PBXROUTER_FUZZ_SEED", int.Parse) ?? defaultSeed,
            Start = Number("PBXROUTER_FUZZ_START", long.Parse) ?? 0,
            Iterations = iterations ?? (minutes is null ? defaultIterations : long.MaxValue),
            TimeBudget = minutes is { } m ? TimeSpan.FromMinutes(m) : null,
            ArtifactsDirectory = Environment.GetEnvironmentVariable("PBXROUTER_FUZZ_ARTIFACTS") is { Length: > 0 } dir
                ? dir : Path.Combine(RepositoryRoot(), "artifacts", "fuzz"),
        };
    }

    /// <summary>The folder holding PbxRouter.sln, found above the test's directory.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PbxRouter.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("PbxRouter.sln not found above " + AppContext.BaseDirectory);
    }

    private static T? Number<T>(string name, Func<string, IFormatProvider, T> parse) where T : struct
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return parse(text.Trim(), CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{name}={text} is not a number");
        }
    }
}
