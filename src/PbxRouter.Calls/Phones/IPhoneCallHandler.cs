namespace PbxRouter.Calls.Phones;

/// <summary>
/// Handles a call dialled from a practice's phone (dialplan context from-phones, Stasis args "phone,EXTEN").
/// The engine creates a <see cref="PhoneCall"/> (the call's runtime, fed by its own event queue), runs HandleAsync on its
/// own task and ends the session when the task completes; the handler hangs the phone up itself.
/// </summary>
public interface IPhoneCallHandler
{
    Task HandleAsync(PhoneCall call, CancellationToken ct);
}
