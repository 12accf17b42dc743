using Microsoft.Extensions.Time.Testing;
using Polly;

namespace PbxRouter.Ari.Tests.Stream;

/// <summary>Tests our reconnect settings (base 0.5 s, cap 15 s, jitter, forever), not Polly's arithmetic.</summary>
public class ReconnectBackoffTests
{
    private static readonly AriOptions Defaults = new() { Application = "pbxrouter" };

    [Test]
    public void Options_AreExponentialWithJitter_FromOurSettings_Forever()
    {
        var o = ReconnectPolicy.Options(Defaults);

        Assert.That(o.BackoffType, Is.EqualTo(DelayBackoffType.Exponential));
        Assert.That(o.UseJitter, Is.True);
        Assert.That(o.Delay, Is.EqualTo(TimeSpan.FromSeconds(0.5)));
        Assert.That(o.MaxDelay, Is.EqualTo(TimeSpan.FromSeconds(15)));
        Assert.That(o.MaxRetryAttempts, Is.EqualTo(int.MaxValue));
    }

    [Test]
    public async Task Delays_StayWithinZeroAndMax_AndReachTheCap()
    {
        var delays = await RecordDelaysAsync(attempts: 60, randomizer: null);

        Assert.That(delays, Has.All.InRange(TimeSpan.Zero, Defaults.ReconnectMaxDelay));
        Assert.That(delays.Skip(20), Has.All.EqualTo(Defaults.ReconnectMaxDelay).Or.GreaterThan(TimeSpan.FromSeconds(5)),
            "after many failures the backoff sits near the 15 s cap");
    }

    [Test]
    public async Task Delays_GrowExponentially_BeforeTheCap()
    {
        // Averaged over runs (seeded, so deterministic) so jitter cancels out.
        const int runs = 40;
        var random = new Random(42);
        var sums = new double[6];
        for (int run = 0; run < runs; run++)
        {
            var delays = await RecordDelaysAsync(attempts: 6, randomizer: random.NextDouble);
            for (int i = 0; i < 6; i++) sums[i] += delays[i].TotalSeconds;
        }
        var means = sums.Select(s => s / runs).ToArray();

        Assert.That(means[0], Is.InRange(0.1, 1.0), "first retry is around the 0.5 s base delay");
        var trace = $"[{string.Join(", ", means.Select(m => m.ToString("0.00")))}]";
        for (int i = 1; i < 6; i++)
            Assert.That(means[i], Is.GreaterThan(means[i - 1]), $"attempt {i + 1} waits longer than attempt {i}: {trace}");
        for (int i = 2; i < 6; i++)
            Assert.That(means[i], Is.GreaterThan(means[i - 2] * 2), $"the wait at least doubles every two attempts: {trace}");
        Assert.That(means[5], Is.GreaterThan(means[0] * 10), trace);
    }

    [Test]
    public async Task Delays_AreJittered()
    {
        var a = await RecordDelaysAsync(attempts: 5, randomizer: new Random(1).NextDouble);
        var b = await RecordDelaysAsync(attempts: 5, randomizer: new Random(2).NextDouble);

        Assert.That(a, Is.Not.EqualTo(b));
        Assert.That(a.Concat(b), Is.Unique);
    }

    [Test]
    public async Task Delays_WithExtremeRandomness_NeverExceedTheCap([Values(0.0, 0.5, 0.999999)] double r)
    {
        var delays = await RecordDelaysAsync(attempts: 2000, randomizer: () => r);

        Assert.That(delays, Has.All.InRange(TimeSpan.Zero, Defaults.ReconnectMaxDelay));
    }

    [Test]
    public async Task CustomSettings_AreHonoured()
    {
        var options = new AriOptions { Application = "a", ReconnectBaseDelay = TimeSpan.FromSeconds(2), ReconnectMaxDelay = TimeSpan.FromSeconds(3) };

        var delays = await RecordDelaysAsync(attempts: 30, randomizer: null, options);

        Assert.That(delays, Has.All.InRange(TimeSpan.Zero, TimeSpan.FromSeconds(3)));
        Assert.That(delays.Count(d => d == TimeSpan.FromSeconds(3)), Is.GreaterThan(10));
    }

    /// <summary>Runs the real pipeline on a fake clock against a connect that always fails; returns each wait.</summary>
    private static async Task<List<TimeSpan>> RecordDelaysAsync(int attempts, Func<double>? randomizer, AriOptions? options = null)
    {
        options ??= Defaults;
        var time = new FakeTimeProvider();
        var delays = new List<TimeSpan>();
        var pipeline = ReconnectPolicy.Build(options, time, args =>
        {
            delays.Add(args.RetryDelay);
            return ValueTask.CompletedTask;
        }, randomizer);

        int calls = 0;
        var run = pipeline.ExecuteAsync(_ =>
        {
            if (++calls <= attempts) throw new IOException("connection refused");
            return ValueTask.CompletedTask;
        }).AsTask();
        while (!run.IsCompleted)
        {
            time.Advance(options.ReconnectMaxDelay);
            await Task.Yield();
        }
        await run;
        Assert.That(delays, Has.Count.EqualTo(attempts));
        return delays;
    }
}
