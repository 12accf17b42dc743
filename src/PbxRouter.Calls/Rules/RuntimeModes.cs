using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Rules;

/// <summary>
/// The modes doctors toggled with feature codes, and forwards to a number (*21*NUMBER#): runtime state, kept in SQLite apart
/// from the rules. Observers (the mode
/// lamps) are told when they change, whoever changed them (a feature code here, or another process, seen at the next refresh).
/// </summary>
public sealed class RuntimeModes(RuntimeStateRepository repository, IEnumerable<IModesObserver>? observers = null)
{
    private readonly IModesObserver[] _observers = observers?.ToArray() ?? [];
    private volatile RuntimeState _current = RuntimeState.None;
    private string _seen = "";

    public RuntimeState Current => _current;

    public async Task RefreshAsync(CancellationToken ct)
    {
        var modes = await repository.GetModesAsync(ct).ConfigureAwait(false);
        var state = RuntimeState.None;
        foreach (var mode in modes.Values)
            if (mode.ForwardTo is not null) state = state.WithForward(mode.PracticeId, mode.ForwardTo, mode.SetBy);
            else if (mode.Mode is not null) state = state.WithMode(mode.PracticeId, mode.Mode, mode.SetBy);
        _current = state;
        var seen = string.Join(";", state.ActiveModes.Concat(state.ForwardedTo.Select(f => KeyValuePair.Create(f.Key, "forward:" + f.Value)))
            .OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}"));
        if (_observers.Length == 0 || Interlocked.Exchange(ref _seen, seen) == seen) return;
        foreach (var observer in _observers) await observer.ModesChangedAsync(state, ct).ConfigureAwait(false);
    }

    /// <summary>Forwards a practice's patient calls to <paramref name="number"/> (E.164, replacing its mode) and records who did it and how.</summary>
    public async Task SetForwardAsync(string practiceId, string number, string setBy, string via, CancellationToken ct)
    {
        await repository.SetForwardAsync(practiceId, number, setBy, via, ct).ConfigureAwait(false);
        await RefreshAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Sets (or clears, with null) a practice's mode (ending any forward to a number) and records who did it and how.</summary>
    public async Task SetAsync(string practiceId, string? mode, string setBy, string via, CancellationToken ct)
    {
        await repository.SetModeAsync(practiceId, mode, setBy, via, ct).ConfigureAwait(false);
        await RefreshAsync(ct).ConfigureAwait(false);
    }
}
