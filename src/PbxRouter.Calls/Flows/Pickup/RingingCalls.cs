using PbxRouter.Ari.Events;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Flows.Pickup;

/// <summary>
/// The patients' calls whose queue rings phones right now, by practice: what the pickup code can take. A ringing attempt
/// registers while its phones ring (<see cref="Open"/>) and closes when it ends; a pickup request is handed to a call only
/// while it is open, and one still unanswered when the attempt closes is answered "not taken", so the phone that asked
/// never waits for a call that stopped ringing.
/// </summary>
public sealed class RingingCalls
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Ringing> _calls = new(StringComparer.Ordinal);

    /// <summary>The calls ringing now (a copy).</summary>
    public IReadOnlyList<RingingCall> Now
    {
        get { lock (_lock) return _calls.Values.Select(r => r.Call).ToList(); }
    }

    /// <summary>Registers a ringing attempt; <paramref name="deliver"/> puts a request into the call's inbox. Dispose when it stops ringing.</summary>
    public IDisposable Open(RingingCall call, Action<AriEvent> deliver)
    {
        var ringing = new Ringing(this, call, deliver);
        lock (_lock) _calls[call.CallId] = ringing;
        return ringing;
    }

    /// <summary>Hands the request to the call if it still rings (and no other phone took it first); false otherwise.</summary>
    public bool TryRequest(PickupRequested request)
    {
        Ringing? ringing;
        lock (_lock)
        {
            if (!_calls.TryGetValue(request.PatientCallId, out ringing) || ringing.Pending is { Taken.IsCompleted: false }) return false;
            ringing.Pending = request;
        }
        ringing.Deliver(request);
        return true;
    }

    private void Close(Ringing ringing)
    {
        PickupRequested? unanswered;
        lock (_lock)
        {
            if (_calls.TryGetValue(ringing.Call.CallId, out var current) && current == ringing) _calls.Remove(ringing.Call.CallId);
            unanswered = ringing.Pending;
        }
        unanswered?.Answer(false);
    }

    private sealed class Ringing(RingingCalls owner, RingingCall call, Action<AriEvent> deliver) : IDisposable
    {
        public RingingCall Call { get; } = call;
        public Action<AriEvent> Deliver { get; } = deliver;
        /// <summary>The request handed to the call (one at a time: the first phone to dial the code takes it; a refused one frees the call).</summary>
        public PickupRequested? Pending { get; set; }

        public void Dispose() => owner.Close(this);
    }
}
