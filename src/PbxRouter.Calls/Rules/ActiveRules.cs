using Microsoft.Extensions.Logging;
using PbxRouter.Calls.Prompts;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Rules;

/// <summary>The rules version in force, reloaded from SQLite when `pbxrouter rules apply` stores a new one.</summary>
/// <remarks>A call takes <see cref="Current"/> once when it starts and keeps that snapshot to the end.</remarks>
public sealed class ActiveRules(RulesRepository repository, ILogger<ActiveRules> logger, PromptStore? prompts = null)
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
            var compiled = CompiledRules.FromJson(stored.CompiledJson);
            await RenderPromptsAsync(active, compiled, ct).ConfigureAwait(false);
            _snapshot = new Snapshot(active, compiled);
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

    /// <summary>
    /// Speaks every text of the version into its prompt before calls use it (cached: `rules apply` usually did it already).
    /// A prompt that cannot be made is an error in the log, never replaced by another sound.
    /// </summary>
    private async Task RenderPromptsAsync(int version, CompiledRules compiled, CancellationToken ct)
    {
        if (prompts is null) return;
        var (done, failed) = await prompts.EnsureAllAsync(PromptCatalog.Of(compiled.Model), ct).ConfigureAwait(false);
        foreach (var (prompt, error) in failed)
            logger.LogError("Rules version {Version}: prompt {Name} ({At}) has no audio, callers reaching it will hear nothing: {Error}",
                version, prompt.Name, prompt.At.Short, error);
        foreach (var outcome in done.Where(o => o.Warning is not null))
            logger.LogWarning("Rules version {Version}: {Warning}", version, outcome.Warning);
        var spoken = done.Count(o => o.Did is "spoken" or "from cache");
        if (spoken > 0) logger.LogInformation("Rules version {Version}: {Count} prompt(s) spoken into {Folder}", version, spoken, prompts.Folder);
    }

    /// <summary>For tests and tools: install compiled rules directly.</summary>
    public void Use(int version, CompiledRules rules) => _snapshot = new Snapshot(version, rules);

    private sealed record Snapshot(int Version, CompiledRules? Rules);
}
