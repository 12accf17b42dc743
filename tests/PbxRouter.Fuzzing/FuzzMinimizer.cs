using System.Diagnostics;

namespace PbxRouter.Fuzzing;

/// <summary>Shrinks a failing input (delta debugging on bytes): removes chunks, halving their size, while the same
/// failure remains. Bounded by time, so that a report never waits long for it.</summary>
public static class FuzzMinimizer
{
    public static byte[] Minimize(byte[] input, Func<byte[], bool> stillFails, TimeSpan budget)
    {
        var clock = Stopwatch.StartNew();
        var best = input;
        for (var chunk = Math.Max(1, best.Length / 2); chunk >= 1 && clock.Elapsed < budget; chunk /= 2)
        {
            var removedAny = true;
            while (removedAny && clock.Elapsed < budget)
            {
                removedAny = false;
                for (var start = 0; start < best.Length && clock.Elapsed < budget;)
                {
                    var candidate = best[..start].Concat(best[Math.Min(best.Length, start + chunk)..]).ToArray();
                    if (candidate.Length < best.Length && stillFails(candidate))
                    {
                        best = candidate;
                        removedAny = true;
                    }
                    else
                        start += chunk;
                }
            }
        }
        return best;
    }
}
