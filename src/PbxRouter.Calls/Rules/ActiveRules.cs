using Microsoft.Extensions.Logging;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Rules;

/// <summary>The rules version in force, reloaded from SQLite when `pbxrouter rules apply` stores a new one.</summary>
/// <remarks>A call takes <see cref="Current"/> once when it starts and keeps that snapshot to the end.</remarks>
public sealed class ActiveRules(RulesRepository repository, ILogger<ActiveRules> logger)
{
    private volatile Snapshot _snapshot = new(0, null);

    /// <summary>The compiled rules, or null before the first `rules apply`.</summary>
    public CompiledRules? Current => _snapshot.Rules;

    public int Version => _snapshot.Version;

    /// <summary>Loads the active version if it changed; cheap when it did not (one row read).</summary>
    public async Task<bool> RefreshAsync(CancellationToken ct)
    {
        var active = await repository.ActiveVersionNumberAsync(ct).ConfigureAwait(false);
        if (active == _snapshot.Version) return false;
        var stored = await repository.GetAsync(active, ct).ConfigureAwait(false);
        if (stored is null) return false;
        try
        {
            _snapshot = new Snapshot(active, CompiledRules.FromJson(stored.CompiledJson));
            logger.LogInformation("Rules version {Version} in force ({Hash}, applied by {By})", active, stored.Version.ContentHash[..12], stored.Version.AppliedBy);
            return true;
        }
        catch (InvalidRulesException ex)
        {
            // Keep the previous version: a stored version that no longer compiles must not stop calls.
            logger.LogError("Rules version {Version} cannot be loaded, keeping version {Kept}: {Error}", active, _snapshot.Version, ex.Message);
            return false;
        }
    }

    /// <summary>For tests and tools: install compiled rules directly.</summary>
    public void Use(int version, CompiledRules rules) => _snapshot = new Snapshot(version, rules);

    private sealed record Snapshot(int Version, CompiledRules? Rules);
}
