using System.Collections.Concurrent;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;

namespace PbxRouter.Calls.Flows.Reception;

/// <summary>What the queue needs to know of a member's phone: registered (online), and on how many calls.</summary>
public readonly record struct MemberState(bool Registered, int Calls)
{
    /// <summary>Registered and on no call: it may be rung.</summary>
    public bool Free => Registered && Calls == 0;

    public static MemberState Of(Endpoint endpoint) => new(endpoint.State == "online", endpoint.ChannelIds.Count);

    /// <summary>
    /// From the phone's device state: NOT_INUSE is free; INUSE, BUSY, RINGING, RINGINUSE and ONHOLD are on a call (one or
    /// more: the count only matters as zero or not); UNAVAILABLE, INVALID and UNKNOWN are not registered.
    /// </summary>
    public static MemberState Of(DeviceState device) => device.State switch
    {
        "NOT_INUSE" => new(true, 0),
        "INUSE" or "BUSY" or "RINGING" or "RINGINUSE" or "ONHOLD" => new(true, 1),
        _ => new(false, 0),
    };
}

/// <summary>
/// The queue members' phones (PJSIP endpoints), kept in memory from ARI's <see cref="DeviceStateChanged"/> events
/// (sent on every change of the phone's device state: registered or not, idle, ringing, in use), instead of a REST read
/// per member at every ring attempt. The first time a member is asked for after the engine (re)connects, the application
/// subscribes to its device state (`deviceState:PJSIP/…`) and reads its endpoint once; from then on the events keep it.
/// Not to its endpoint (`endpoint:PJSIP/…`): that subscription also forwards every event of the phone's channels, which
/// the application already gets for the channels it controls, so each of those came twice (a PIN keyed on the phone read
/// with every digit doubled). A change of the event connection (lost, back) forgets everything: events may have been
/// missed meanwhile.
/// </summary>
public sealed class MemberStates : IDisposable
{
    private const string Technology = "PJSIP";
    private readonly AriClient _ari;
    private readonly ConcurrentDictionary<string, MemberState> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _subscribed = new(StringComparer.Ordinal);
    private int _epoch;

    public MemberStates(AriClient ari)
    {
        _ari = ari;
        _ari.EventReceived += OnEvent;
        _ari.Events.HealthChanged += OnHealthChanged;
    }

    /// <summary>Raised (on the event reading loop: keep it short) when a member's phone becomes free.</summary>
    public event Action? MemberFreed;

    /// <summary>REST reads of an endpoint's state since the engine started (first uses and re-reads after a reconnect), for figures.</summary>
    public long Reads => Interlocked.Read(ref _reads);
    private long _reads;

    /// <summary>
    /// The state of PJSIP endpoint <paramref name="resource"/>; null when Asterisk has no such endpoint (not provisioned).
    /// Throws <see cref="AriException"/> when ARI cannot tell (the transport already retried).
    /// </summary>
    public async ValueTask<MemberState?> GetAsync(string resource, CancellationToken ct)
    {
        if (_known.TryGetValue(resource, out var known)) return known;
        var epoch = Volatile.Read(ref _epoch);
        if (await ReadAsync(resource, ct) is null) return null;
        // Its events from now on, then its state once more: no change falls between the read and the subscription.
        await _ari.Applications.SubscribeAsync(_ari.Options.Application, $"deviceState:{Technology}/{resource}", ct);
        _subscribed[resource] = true;
        if (await ReadAsync(resource, ct) is not { } state) return null;
        // An event that came meanwhile is as new as this read; after a reconnect meanwhile, the next use reads again.
        return epoch == Volatile.Read(ref _epoch) ? _known.GetOrAdd(resource, state) : state;
    }

    private async Task<MemberState?> ReadAsync(string resource, CancellationToken ct)
    {
        Interlocked.Increment(ref _reads);
        try
        {
            return MemberState.Of(await _ari.AsteriskInfo.GetEndpointAsync(Technology, resource, ct));
        }
        catch (AriNotFoundException)
        {
            return null; // not provisioned (no password in the environment, or removed from the rules): asked again next time
        }
    }

    /// <summary>An event of the application: an endpoint of a member changed.</summary>
    internal void OnEvent(AriEvent e)
    {
        if (e is not DeviceStateChanged { DeviceState.Name: var name } changed || !name.StartsWith(Prefix, StringComparison.Ordinal)) return;
        var resource = name[Prefix.Length..];
        if (!_subscribed.ContainsKey(resource)) return;
        var state = MemberState.Of(changed.DeviceState);
        var wasFree = _known.TryGetValue(resource, out var before) && before.Free;
        _known[resource] = state;
        if (state.Free && !wasFree) MemberFreed?.Invoke();
    }

    private const string Prefix = Technology + "/";

    /// <summary>
    /// The member answered a call of this engine: busy from now on, without waiting for the event of its new channel
    /// (under load it may come after the ringing claim is gone, and the phone would look free). The next event of the
    /// endpoint says the truth again.
    /// </summary>
    public void Answered(string resource)
    {
        if (!_subscribed.ContainsKey(resource)) return;
        _known.AddOrUpdate(resource, new MemberState(true, 1), (_, known) => known with { Calls = Math.Max(1, known.Calls) });
    }

    private void OnHealthChanged(AriHealth health) => Forget();

    /// <summary>Forgets every state and subscription: the next use of each member subscribes and reads again.</summary>
    internal void Forget()
    {
        Interlocked.Increment(ref _epoch);
        _subscribed.Clear();
        _known.Clear();
    }

    public void Dispose()
    {
        _ari.EventReceived -= OnEvent;
        _ari.Events.HealthChanged -= OnHealthChanged;
    }
}
