using System.Text.Json.Serialization;

namespace PbxRouter.Routing;

/// <summary>One step of a call plan; <see cref="Why"/> says in plain words why it is there.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(PlayGreeting), "greeting")]
[JsonDerivedType(typeof(Announce), "announce")]
[JsonDerivedType(typeof(Queue), "queue")]
[JsonDerivedType(typeof(Overflow), "overflow")]
[JsonDerivedType(typeof(Escalate), "escalate")]
[JsonDerivedType(typeof(Voicemail), "voicemail")]
[JsonDerivedType(typeof(Forward), "forward")]
[JsonDerivedType(typeof(Refuse), "refuse")]
[JsonDerivedType(typeof(Hangup), "hangup")]
public abstract record PlanStep(string Why);

/// <summary>Play the practice's greeting, as early media (before answering) or after answering; <paramref name="Sound"/> is its prompt name (PromptCatalog).</summary>
public sealed record PlayGreeting(string? Sound, string Text, bool EarlyMedia, string Why) : PlanStep(Why);

/// <summary>Play a message (e.g. closed: call 15 for a life-threatening emergency, 116 117 for the doctor on call); <paramref name="Prompt"/> is its prompt name (PromptCatalog).</summary>
public sealed record Announce(string MessageId, string? Prompt, string Text, string Why) : PlanStep(Why);

/// <summary>Put the caller in the reception queue; when it gives up, the next step runs.</summary>
public sealed record Queue(
    string QueueId, IReadOnlyList<string> Members, QueueStrategy Strategy, TimeSpan RingTime, TimeSpan MaxWait, int MaxCallers,
    TimeSpan? PositionInterval, string Music, string? UrgentKey, bool OverflowWhenAllBusy, string Why) : PlanStep(Why);

/// <summary>Hand the call to remote secretariat(s), tried in order, each with the headers it needs.</summary>
public sealed record Overflow(IReadOnlyList<OverflowTarget> Targets, string Why) : PlanStep(Why);

/// <summary>Ring mobiles in turn; each must press the screening key to take the call.</summary>
public sealed record Escalate(IReadOnlyList<EscalationContact> Contacts, string ScreeningKey, TimeSpan RingTime, string Why) : PlanStep(Why);

/// <summary>Record a voicemail in a box and notify its targets (urgent boxes notify at once).</summary>
public sealed record Voicemail(string Box, bool Urgent, IReadOnlyList<Notification> Notify, string Why) : PlanStep(Why);

/// <summary>Forward the call to a number (e.g. a practitioner's mobile).</summary>
public sealed record Forward(string Number, string Why) : PlanStep(Why);

/// <summary>Refuse the call with a SIP status (403 blocked caller, 404 unknown number).</summary>
public sealed record Refuse(int SipStatus, string Why) : PlanStep(Why);

/// <summary>
/// End the call. <paramref name="EndOfPlan"/> marks the step the compiler adds after the last one: reached only when no
/// step above ended the call, i.e. nobody took it, so the engine hands the caller to the fallback route instead.
/// </summary>
public sealed record Hangup(string Why, bool EndOfPlan = false) : PlanStep(Why)
{
    /// <summary>The compiler's final step of every plan that does not end with a hang-up or a refusal.</summary>
    public static Hangup AtEndOfPlan { get; } = new("end of plan: hang up if no step above ended the call", EndOfPlan: true);
}
