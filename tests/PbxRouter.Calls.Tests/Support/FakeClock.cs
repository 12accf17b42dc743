using Microsoft.Extensions.Time.Testing;

namespace PbxRouter.Calls.Tests.Support;

/// <summary>Lets a fake clock run while a flow runs: its timeouts (ring times, digit waits, screening) pass in milliseconds of real time.</summary>
internal static class FakeClock
{
    public static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-24T09:00:00Z");

    /// <summary>Advances <paramref name="time"/> by 100 ms every real millisecond until <paramref name="run"/> ends (bounded).</summary>
    public static async Task<T> RunAsync<T>(this FakeTimeProvider time, Task<T> run)
    {
        await time.RunAsync((Task)run);
        return await run;
    }

    /// <inheritdoc cref="RunAsync{T}"/>
    public static async Task RunAsync(this FakeTimeProvider time, Task run)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!run.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1, limit.Token);
        }
        await run;
    }
}
