using PbxRouter.Ari;
using PbxRouter.Ari.Events;

namespace PbxRouter.Calls.Flows.Pickup;

/// <summary>
/// Posted into a ringing patient's call by the phone that dialled the pickup code: "connect the patient to my channel".
/// The patient's call answers it through <see cref="Taken"/> (true: the phone's channel is now the patient's call's).
/// Not an Asterisk event: it goes straight into the call's inbox, ordered with the call's own events from then on.
/// </summary>
public sealed record PickupRequested : AriEvent
{
    private readonly TaskCompletionSource<bool> _taken = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PickupRequested(string patientCallId, Channel phoneChannel, string phoneId)
    {
        PatientCallId = patientCallId;
        PhoneChannel = phoneChannel;
        PhoneId = phoneId;
        Type = "PbxRouterPickup";
    }

    public string PatientCallId { get; }
    /// <summary>The channel of the phone that dialled the pickup code (in Stasis as a call from a phone).</summary>
    public Channel PhoneChannel { get; }
    public string PhoneId { get; }

    /// <summary>Completes once the patient's call answered the request: true when the phone was connected to the patient.</summary>
    public Task<bool> Taken => _taken.Task;

    public void Answer(bool taken) => _taken.TrySetResult(taken);

    public override IEnumerable<string> ChannelIds => [PatientCallId];
}
