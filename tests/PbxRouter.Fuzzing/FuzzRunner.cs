using System.Diagnostics;

namespace PbxRouter.Fuzzing;

/// <summary>Runs a fuzz target over the inputs of a <see cref="Mutator"/>. Any exception thrown by the target (a crash of the
/// code under test or a broken contract), an input slower than <see cref="FuzzSettings.SlowInput"/> or one that never
/// returns is a failure; the first failure stops the run, its input is saved under the artifacts folder.</summary>
public static class FuzzRunner
{
    /// <param name="target">Short name (file names, messages).</param>
    /// <param name="tryInput">Feeds one input to the code under test and checks its contract; returns a label of the outcome
    /// (e.g. "decoded", "rejected") counted in the report.</param>
    /// <param name="progress">Receives a line per minute on long runs.</param>
    public static FuzzReport Run(string target, FuzzSettings settings, Mutator mutator, Func<byte[], string> tryInput,
        Action<string>? progress = null)
    {
        Directory.CreateDirectory(settings.ArtifactsDirectory);
        var run = new FuzzRun(target, settings, mutator, tryInput, progress);
        var thread = new Thread(run.Loop) { IsBackground = true, Name = "fuzz " + target };
        thread.Start();
        while (!thread.Join(200))
        {
            if (run.CurrentRunningFor() > settings.Hang)
                return run.Report(run.Failed($"no answer after {settings.Hang.TotalSeconds:0} s (hang)"));
        }
        return run.Report(run.Failure);
    }

    /// <summary>The seed of one iteration's generator: an iteration can be replayed alone (PBXROUTER_FUZZ_START).</summary>
    public static int IterationSeed(int seed, long iteration)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)iteration + 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(z ^ (z >> 31));
    }

    private sealed class FuzzRun(string target, FuzzSettings settings, Mutator mutator, Func<byte[], string> tryInput, Action<string>? progress)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Dictionary<string, long> _outcomes = new(StringComparer.Ordinal);
        private long _done;
        private long _current = -1;
        private byte[] _input = [];
        private long _startedAt;
        private TimeSpan _slowest;
        private long _slowestIteration;

        public FuzzFailure? Failure { get; private set; }

        private string CurrentFile => Path.Combine(settings.ArtifactsDirectory, $"{target}-current.bin");

        public TimeSpan CurrentRunningFor() =>
            Volatile.Read(ref _current) < 0 ? TimeSpan.Zero : _clock.Elapsed - TimeSpan.FromTicks(Volatile.Read(ref _startedAt));

        public void Loop()
        {
            // The input being tried is mirrored to a file: when the process dies (stack overflow), it is still there.
            using var current = File.OpenHandle(CurrentFile, FileMode.Create, FileAccess.Write);
            var nextProgress = TimeSpan.FromMinutes(1);
            for (var i = settings.Start; i - settings.Start < settings.Iterations; i++)
            {
                if (settings.TimeBudget is { } budget && _clock.Elapsed >= budget) break;
                byte[] input;
                try
                {
                    input = mutator.Next(new Random(IterationSeed(settings.Seed, i)));
                }
                catch (Exception e)
                {
                    _input = [];
                    Volatile.Write(ref _current, i);
                    Failure = Failed("the mutator itself failed (a bug of the test): " + e);
                    return;
                }
                RandomAccess.SetLength(current, 0);
                RandomAccess.Write(current, input, 0);
                _input = input;
                Volatile.Write(ref _startedAt, _clock.Elapsed.Ticks);
                Volatile.Write(ref _current, i);
                string outcome;
                try
                {
                    outcome = tryInput(input);
                }
                catch (Exception e)
                {
                    Failure = Failed(e.ToString(), Signature(e));
                    return;
                }
                var took = CurrentRunningFor();
                Volatile.Write(ref _current, -1);
                if (took > settings.SlowInput)
                {
                    Failure = Failed($"took {took.TotalSeconds:0.0} s (limit {settings.SlowInput.TotalSeconds:0} s): pathologically slow");
                    return;
                }
                if (took > _slowest) (_slowest, _slowestIteration) = (took, i);
                _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + 1;
                _done++;
                if (progress is not null && _clock.Elapsed >= nextProgress)
                {
                    progress($"fuzz {target}: {_done} inputs in {_clock.Elapsed.TotalMinutes:0} min, no failure");
                    nextProgress += TimeSpan.FromMinutes(1);
                }
            }
            current.Dispose();
            File.Delete(CurrentFile);
        }

        /// <summary>Saves the failing input and, for an exception (given its <paramref name="signature"/>), a minimized one.</summary>
        public FuzzFailure Failed(string problem, string? signature = null)
        {
            var iteration = Volatile.Read(ref _current);
            var input = _input;
            var path = Path.Combine(settings.ArtifactsDirectory, $"{target}-seed{settings.Seed}-iteration{iteration}.bin");
            File.WriteAllBytes(path, input);
            byte[]? minimized = null;
            if (signature is not null)
            {
                minimized = FuzzMinimizer.Minimize(input, candidate => Signature(candidate) == signature, TimeSpan.FromSeconds(20));
                File.WriteAllBytes(Path.ChangeExtension(path, ".min.bin"), minimized);
            }
            return new FuzzFailure(target, settings.Seed, iteration, problem, input, path, minimized);
        }

        private string? Signature(byte[] candidate)
        {
            try
            {
                tryInput(candidate);
                return null;
            }
            catch (Exception e)
            {
                return Signature(e);
            }
        }

        /// <summary>Same failure: same exception type thrown from the same place (and the same broken contract).</summary>
        private static string Signature(Exception e) =>
            e.GetType().FullName + " " + e.StackTrace?.Split('\n', 2)[0].Trim() + (e is FuzzContractException ? " " + e.Message : "");

        public FuzzReport Report(FuzzFailure? failure) =>
            new(target, settings.Seed, settings.Start, _done, _clock.Elapsed, new Dictionary<string, long>(_outcomes), failure,
                _slowest, _slowestIteration);
    }
}
