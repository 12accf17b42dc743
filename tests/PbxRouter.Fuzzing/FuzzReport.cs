using System.Text;

namespace PbxRouter.Fuzzing;

/// <summary>What a fuzz run did: inputs tried, time, outcomes counted by label, and the first failure if any.</summary>
public sealed record FuzzReport(string Target, int Seed, long Start, long Inputs, TimeSpan Elapsed,
    IReadOnlyDictionary<string, long> Outcomes, FuzzFailure? Failure, TimeSpan Slowest, long SlowestIteration)
{
    public string Summary =>
        $"fuzz {Target}: {Inputs} inputs (seed {Seed}, from iteration {Start}) in {Elapsed.TotalSeconds:0.0} s; " +
        string.Join(", ", Outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}")) +
        $"; slowest {Slowest.TotalMilliseconds:0} ms (iteration {SlowestIteration})";
}

/// <summary>A failing input, with what is needed to replay it.</summary>
public sealed record FuzzFailure(string Target, int Seed, long Iteration, string Problem, byte[] Input, string SavedTo, byte[]? Minimized)
{
    public override string ToString() =>
        $"""
        fuzz {Target} failed at seed {Seed}, iteration {Iteration}: {Problem}
        input ({Input.Length} bytes) saved to {SavedTo}
        replay: PBXROUTER_FUZZ_SEED={Seed} PBXROUTER_FUZZ_START={Iteration} PBXROUTER_FUZZ_ITERATIONS=1 dotnet test --filter TestCategory=Fuzz
        input: {Printable(Input, 2_000)}
        """ + (Minimized is null ? "" : $"\nminimized ({Minimized.Length} bytes, same failure): {Printable(Minimized, 2_000)}");

    /// <summary>The input as UTF-8 text with control characters and invalid bytes escaped, cut after <paramref name="max"/> characters.</summary>
    public static string Printable(byte[] input, int max)
    {
        var text = Encoding.UTF8.GetString(input);
        var builder = new StringBuilder();
        foreach (var c in text.Length > max ? text[..max] : text)
        {
            if (c is '\n') builder.Append("\\n");
            else if (c is '\r') builder.Append("\\r");
            else if (c is '\t') builder.Append("\\t");
            else if (char.IsControl(c) || c is '\uFFFD') builder.Append($"\\u{(int)c:x4}");
            else builder.Append(c);
        }
        if (text.Length > max) builder.Append($"... ({text.Length - max} more characters)");
        return builder.ToString();
    }
}
