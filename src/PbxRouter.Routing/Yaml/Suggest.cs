namespace PbxRouter.Routing;

/// <summary>"Did you mean" helper based on edit distance.</summary>
internal static class Suggest
{
    /// <summary>Text longer than this gets no suggestion: no key, id or time zone is that long, and the edit distance costs
    /// the product of the two lengths (a 10,000-character time_zone took seconds against the 600 zone names).</summary>
    public const int MaxLength = 64;

    public static string? Closest(string wrong, IEnumerable<string> candidates)
    {
        if (wrong.Length > MaxLength) return null;
        var lower = wrong.ToLowerInvariant();
        var allowed = Math.Max(2, wrong.Length / 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (Math.Abs(candidate.Length - wrong.Length) > allowed) continue; // the distance is at least the length difference
            var d = Distance(lower, candidate.ToLowerInvariant());
            if (d < bestDistance) (best, bestDistance) = (candidate, d);
        }
        return bestDistance <= allowed ? best : null;
    }

    public static string? DidYouMean(string wrong, IEnumerable<string> candidates) =>
        Closest(wrong, candidates) is { } c ? $"did you mean '{c}'?" : null;

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
