using System.Text.Json;
using System.Text.Json.Serialization;

namespace PbxRouter.Calls.Cti;

/// <summary>
/// One live event of one call, for agenda and screen-pop software (docs/cti.md). <see cref="Sequence"/> counts from 1 per
/// call and strictly increases; <see cref="Position"/> orders every event of the engine run (the SSE id).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(CallRinging), CtiEventTypes.Ringing)]
[JsonDerivedType(typeof(CallAnswered), CtiEventTypes.Answered)]
[JsonDerivedType(typeof(CallTransferred), CtiEventTypes.Transferred)]
[JsonDerivedType(typeof(CallEnded), CtiEventTypes.Ended)]
[JsonDerivedType(typeof(VoicemailLeft), CtiEventTypes.VoicemailLeft)]
public abstract record CtiEvent
{
    /// <summary>Hub-wide order of the event in this engine run (not in the JSON: it is the SSE id and the webhook's X-PbxRouter-Delivery).</summary>
    [JsonIgnore] public long Position { get; init; }
    public required string CallId { get; init; }
    /// <summary>The practice called (its id in the rules).</summary>
    public required string Practice { get; init; }
    public required int Sequence { get; init; }
    public required DateTimeOffset At { get; init; }
    /// <summary>The number called (the practice's line, E.164).</summary>
    public required string Called { get; init; }
    /// <summary>The caller's number, only for consumers allowed to see it and never when the caller withheld it.</summary>
    public string? Caller { get; init; }
    /// <summary>The caller's number masked (+336******78), for every consumer; absent when withheld or unknown.</summary>
    public string? CallerMasked { get; init; }
    public bool CallerWithheld { get; init; }

    /// <summary>The "type" of the JSON (written by the serializer from the record's class).</summary>
    [JsonIgnore]
    public string Type => this switch
    {
        CallRinging => CtiEventTypes.Ringing,
        CallAnswered => CtiEventTypes.Answered,
        CallTransferred => CtiEventTypes.Transferred,
        CallEnded => CtiEventTypes.Ended,
        _ => CtiEventTypes.VoicemailLeft,
    };

    /// <summary>This event as a consumer sees it: without the caller's number unless <paramref name="callerNumbers"/>.</summary>
    public CtiEvent For(bool callerNumbers) => callerNumbers || Caller is null ? this : this with { Caller = null };

    /// <summary>The JSON of docs/cti.md: snake_case, "type" first, absent fields left out.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, CtiJson.Options);
}

/// <summary>The "type" of each event.</summary>
public static class CtiEventTypes
{
    public const string Ringing = "call.ringing", Answered = "call.answered", Transferred = "call.transferred", Ended = "call.ended",
        VoicemailLeft = "voicemail.left", Gap = "gap";
}

/// <summary>A phone (or secretariat, or transfer target) rings for the call.</summary>
public sealed record CallRinging : CtiEvent
{
    /// <summary>The phone id of the rules (a secretariat id when <see cref="Reason"/> is overflow).</summary>
    public required string Phone { get; init; }
    /// <summary>queue (the reception queue rings its members), overflow (the remote secretariat), transfer, call (a practice phone's own call).</summary>
    public required string Reason { get; init; }
    /// <summary>The reception queue, when <see cref="Reason"/> is queue.</summary>
    public string? Queue { get; init; }
}

/// <summary>Someone took the call: a phone, a secretariat, an escalation contact.</summary>
public sealed record CallAnswered : CtiEvent
{
    public required string By { get; init; }
}

/// <summary>The call was handed to another phone (blind or attended transfer).</summary>
public sealed record CallTransferred : CtiEvent
{
    public required string To { get; init; }
    /// <summary>blind or attended.</summary>
    public string? Kind { get; init; }
}

/// <summary>The call ended: its outcome (as in the call records) and who hung up.</summary>
public sealed record CallEnded : CtiEvent
{
    public required string Outcome { get; init; }
    public string? AnsweredBy { get; init; }
    /// <summary>caller, a phone id, engine; absent when unknown.</summary>
    public string? HungUpBy { get; init; }
}

/// <summary>The caller left a message in a voicemail box.</summary>
public sealed record VoicemailLeft : CtiEvent
{
    public required string Box { get; init; }
    public string? MessageId { get; init; }
    public int? DurationSeconds { get; init; }
}

/// <summary>The JSON settings of the events.</summary>
public static class CtiJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // JSON for machines: "+33..." stays readable instead of "\u002B33...".
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The marker a consumer gets where events were left out: <paramref name="dropped"/> null when the count is unknown.</summary>
    public static byte[] Gap(long? dropped, string reason) =>
        JsonSerializer.SerializeToUtf8Bytes(new GapJson(CtiEventTypes.Gap, dropped, reason), Options);

    private sealed record GapJson(string Type, long? Dropped, string Reason);
}
