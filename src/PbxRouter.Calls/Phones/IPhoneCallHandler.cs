namespace PbxRouter.Calls.Phones;

/// <summary>
/// Handles a call dialled from a practice's phone (dialplan context from-phones, Stasis args "phone,EXTEN").
/// The engine creates a <see cref="PhoneCall"/>, delivers the call's events to it, runs HandleAsync off the event
/// queue (Task.Run) and ends its session when the task completes; the handler hangs the phone up itself.
/// </summary>
public interface IPhoneCallHandler
{
    Task HandleAsync(PhoneCall call, CancellationToken ct);
}
