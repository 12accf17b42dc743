using System.Collections.Concurrent;

namespace PbxRouter.WebConsole;

/// <summary>
/// Failed logins per account name (known or not, so a locked name tells nothing): after Console:MaxFailedLogins in a row the
/// name is locked for Console:LockoutMinutes, and every failure answers after a short delay.
/// </summary>
public sealed class LoginThrottle(ConsoleOptions options, TimeProvider time)
{
    public static readonly TimeSpan FailureDelay = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset? LockedUntil)> _names = new(StringComparer.Ordinal);

    public bool IsLocked(string name) =>
        _names.TryGetValue(name, out var state) && state.LockedUntil is { } until && until > time.GetUtcNow();

    /// <summary>Counts a failure; true when this one locks the name.</summary>
    public bool Failed(string name)
    {
        var now = time.GetUtcNow();
        var state = _names.AddOrUpdate(name, _ => (1, null), (_, s) =>
        {
            var failures = s.LockedUntil is { } until && until <= now ? 1 : s.Failures + 1;
            return (failures, failures >= options.MaxFailedLogins ? now + options.Lockout : null);
        });
        return state.LockedUntil is not null && state.Failures == options.MaxFailedLogins;
    }

    public void Succeeded(string name) => _names.TryRemove(name, out _);
}
