using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Phones;

/// <summary>
/// The call record of a call made from a practice's phone (outside, internal or refused): the same store as the patients'
/// calls. The called number is what the trunk was asked to dial (E.164) or the extension; the caller is the number the
/// phone presented outside (the practice's or its line's), or its extension on an internal call.
/// </summary>
public sealed class PhoneCallRecord(CallRecordWriter writer, LiveCall call)
{
    public string? AnsweredBy { get; set; }
    public string? HungUpBy { get; set; }

    public ValueTask StartAsync(PhoneDial dial, string? caller, int rulesVersion, DateTimeOffset startedAt) =>
        writer.StartCallAsync(new CallRecordStart(call.CallId, startedAt, dial.PracticeId, dial.Destination ?? dial.Dialled, caller, rulesVersion));

    /// <summary>Appends a step (entered, ringing, answered, refused, unanswered, voicemail, hungup...).</summary>
    public ValueTask StepAsync(string kind, string? target = null, string? detail = null) => writer.AddStepAsync(call.CallId, kind, target, detail);

    public ValueTask EndAsync(string outcome) => writer.EndCallAsync(call.CallId, outcome, AnsweredBy, HungUpBy);
}
