using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Rules;

/// <summary>The modes doctors toggled with feature codes (runtime state, kept in SQLite apart from the rules).</summary>
public sealed class RuntimeModes(RuntimeStateRepository repository)
{
    private volatile RuntimeState _current = RuntimeState.None;

    public RuntimeState Current => _current;

    public async Task RefreshAsync(CancellationToken ct)
    {
        var modes = await repository.GetModesAsync(ct).ConfigureAwait(false);
        var state = RuntimeState.None;
        foreach (var mode in modes.Values)
            if (mode.Mode is not null) state = state.WithMode(mode.PracticeId, mode.Mode, mode.SetBy);
        _current = state;
    }

    /// <summary>Sets (or clears, with null) a practice's mode and records who did it and how.</summary>
    public async Task SetAsync(string practiceId, string? mode, string setBy, string via, CancellationToken ct)
    {
        await repository.SetModeAsync(practiceId, mode, setBy, via, ct).ConfigureAwait(false);
        await RefreshAsync(ct).ConfigureAwait(false);
    }
}
