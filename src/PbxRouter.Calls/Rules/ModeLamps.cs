using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Routing;
using PbxRouter.Routing.Model;

namespace PbxRouter.Calls.Rules;

/// <summary>Told by <see cref="RuntimeModes"/> whenever the practices' modes change (a feature code, another process...).</summary>
public interface IModesObserver
{
    Task ModesChangedAsync(RuntimeState state, CancellationToken ct);
}

/// <summary>
/// BLF lamps of the practices' modes: one ARI-controlled device state per practice and mode (INUSE while the mode is on),
/// and one per practice that is INUSE while any of its modes is on. Phones subscribe to them through hints in the generated
/// dialplan (context <c>lamps-PRACTICE</c>, the phones' <c>subscribe_context</c>): extension <c>mode-MODE</c> and each code
/// that activates or toggles the mode, and <c>modes</c> for "any mode on".
/// Set on every mode change (<see cref="IModesObserver"/>), and all of them when rules are provisioned (every rules version
/// and every connection to Asterisk, so after an engine or Asterisk restart the lamps show the stored modes).
/// </summary>
public sealed class ModeLamps(AriClient ari, ActiveRules rules, ILogger<ModeLamps> logger) : IModesObserver
{
    public const string InUse = "INUSE", NotInUse = "NOT_INUSE";

    /// <summary>The extension (in <see cref="Context"/>) of the lamp that is lit while any mode of the practice is on.</summary>
    public const string AnyModeExtension = "modes";

    private readonly ConcurrentDictionary<string, string> _shown = new(StringComparer.Ordinal);
    private volatile RuntimeState _state = RuntimeState.None;

    /// <summary>The device of a practice's mode (rules ids are [a-z0-9_-], so the dots keep practice and mode apart).</summary>
    public static string Device(string practiceId, string modeId) => $"Stasis:pbxrouter.mode.{practiceId}.{modeId}";

    /// <summary>The device lit while any mode of the practice is on.</summary>
    public static string AnyModeDevice(string practiceId) => $"Stasis:pbxrouter.modes.{practiceId}";

    /// <summary>The dialplan context of a practice's lamps: its phones' subscribe_context.</summary>
    public static string Context(string practiceId) => $"lamps-{practiceId}";

    /// <summary>The extension a phone subscribes to for a mode's lamp.</summary>
    public static string Extension(string modeId) => $"mode-{modeId}";

    /// <summary>The hints of every practice's lamps, for extensions_generated.conf.</summary>
    public static string Dialplan(RulesModel model)
    {
        var text = new StringBuilder("\n; Mode lamps (BLF): phones subscribe to these extensions (their subscribe_context); the engine sets the devices over ARI.\n");
        foreach (var practice in model.Practices)
        {
            var practiceId = practice.Id.Value;
            text.Append($"[{Context(practiceId)}]\n");
            text.Append($"exten => {AnyModeExtension},hint,{AnyModeDevice(practiceId)}\n");
            var taken = new HashSet<string>(StringComparer.Ordinal) { AnyModeExtension };
            foreach (var mode in practice.Modes)
            {
                var device = Device(practiceId, mode.Id.Value);
                var codes = practice.FeatureCodes?.Codes
                    .Where(c => c.Action is FeatureAction.Activate or FeatureAction.Toggle && c.Target?.Value == mode.Id.Value)
                    .Select(c => c.Code.Value) ?? [];
                foreach (var extension in codes.Prepend(Extension(mode.Id.Value)))
                    if (taken.Add(extension)) text.Append($"exten => {extension},hint,{device}\n");
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Modes changed: the lamps of what changed are set (now, if Asterisk is connected; otherwise at the next provisioning).</summary>
    public Task ModesChangedAsync(RuntimeState state, CancellationToken ct)
    {
        _state = state;
        return ari.Health.IsConnected && rules.Current is { } current ? SetAsync(current, state, force: false, ct) : Task.CompletedTask;
    }

    /// <summary>Every lamp of the rules from the last known modes (rules provisioned: a new version, or Asterisk (re)connected).</summary>
    public Task SetAllAsync(CompiledRules current, CancellationToken ct) => SetAsync(current, _state, force: true, ct);

    internal async Task SetAsync(CompiledRules current, RuntimeState state, bool force, CancellationToken ct)
    {
        var set = 0;
        foreach (var practice in current.Model.Practices)
        {
            var practiceId = practice.Id.Value;
            state.ActiveModes.TryGetValue(practiceId, out var active);
            foreach (var mode in practice.Modes)
                set += await ShowAsync(Device(practiceId, mode.Id.Value), active == mode.Id.Value ? InUse : NotInUse, force, ct).ConfigureAwait(false);
            // "Not the normal route": a mode, or every call forwarded to a number (*21*NUMBER#).
            var diverted = active is not null || state.ForwardedTo.ContainsKey(practiceId);
            set += await ShowAsync(AnyModeDevice(practiceId), diverted ? InUse : NotInUse, force, ct).ConfigureAwait(false);
        }
        if (set > 0) logger.LogInformation("Mode lamps: {Count} device states set{All}", set, force ? " (all, from the stored modes)" : "");
    }

    /// <summary>1 when the device state was sent; a lamp is never worth failing a call or a provisioning for (logged, retried next time).</summary>
    private async Task<int> ShowAsync(string device, string deviceState, bool force, CancellationToken ct)
    {
        if (!force && _shown.TryGetValue(device, out var shown) && shown == deviceState) return 0;
        try
        {
            await ari.DeviceStates.UpdateAsync(device, deviceState, ct).ConfigureAwait(false);
            _shown[device] = deviceState;
            logger.LogDebug("Mode lamp {Device} = {State}", device, deviceState);
            return 1;
        }
        catch (Exception e) when (e is AriException or HttpRequestException)
        {
            _shown.TryRemove(device, out _);
            logger.LogWarning("Mode lamp {Device} could not be set to {State}: {Error}", device, deviceState, e.Message);
            return 0;
        }
    }
}
