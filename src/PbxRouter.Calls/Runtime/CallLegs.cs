namespace PbxRouter.Calls.Runtime;

/// <summary>What a channel or bridge of a call is to the engine.</summary>
public enum LegKind
{
    /// <summary>A practice's reception phone rung by the queue.</summary>
    PhoneLeg,
    /// <summary>A remote secretariat (overflow) or a forward target, through a trunk.</summary>
    SecretariatLeg,
    /// <summary>A doctor's mobile rung by the urgent escalation.</summary>
    MobileLeg,
    /// <summary>An outside number dialled from a practice's phone, through the trunk.</summary>
    OutsideLeg,
    /// <summary>A mixing bridge joining the caller with a leg.</summary>
    Bridge,
    /// <summary>A prompt, ringback or announcement playing to the call.</summary>
    Playback,
}

/// <summary>One channel or bridge the engine made for a call; <paramref name="Who"/> names the person or service it reaches.</summary>
public sealed record CallLeg(string Id, LegKind Kind, string? Who = null)
{
    /// <summary>An outgoing channel (hung up at the end), as opposed to a bridge (destroyed) or a playback.</summary>
    public bool IsChannel => Kind is LegKind.PhoneLeg or LegKind.SecretariatLeg or LegKind.MobileLeg or LegKind.OutsideLeg;

    /// <summary>Channel variables set on an outgoing leg when it is created, so that any engine can tell what it is.</summary>
    public IReadOnlyDictionary<string, string> Variables(string callId)
    {
        var variables = new Dictionary<string, string> { [KindVariable] = Kind.ToString(), [CallVariable] = callId };
        if (Who is { Length: > 0 } who) variables[WhoVariable] = who;
        return variables;
    }

    /// <summary>The leg's <see cref="LegKind"/>; absent on callers' channels.</summary>
    public const string KindVariable = "PBXROUTER_LEG";

    /// <summary>The caller's channel id of the call the leg belongs to.</summary>
    public const string CallVariable = "PBXROUTER_CALL";

    /// <summary>Who the leg reaches (a phone id, a secretariat id, a doctor): the call record's "answered by" if it is taken.</summary>
    public const string WhoVariable = "PBXROUTER_WHO";

    /// <summary>The kind named by a leg's <see cref="KindVariable"/>, or null when it is not one.</summary>
    public static LegKind? ParseKind(string? text) => Enum.TryParse<LegKind>(text, out var kind) && Enum.IsDefined(kind) ? kind : null;
}

/// <summary>
/// The legs and bridges of one call, in the order they were made: plain data, so that a call's state can be looked at
/// (is this channel one of a live call?) and later saved. Thread-safe: the engine reads it while the call's flow writes.
/// </summary>
public sealed class CallLegs
{
    private readonly Lock _lock = new();
    private readonly List<CallLeg> _legs = [];

    public void Add(CallLeg leg)
    {
        lock (_lock)
        {
            _legs.RemoveAll(l => l.Id == leg.Id);
            _legs.Add(leg);
        }
    }

    public bool Remove(string id)
    {
        lock (_lock) return _legs.RemoveAll(l => l.Id == id) > 0;
    }

    public bool Contains(string id)
    {
        lock (_lock) return _legs.Exists(l => l.Id == id);
    }

    public CallLeg? Find(string id)
    {
        lock (_lock) return _legs.Find(l => l.Id == id);
    }

    /// <summary>A copy of the legs and bridges, oldest first.</summary>
    public IReadOnlyList<CallLeg> All
    {
        get { lock (_lock) return [.. _legs]; }
    }
}
