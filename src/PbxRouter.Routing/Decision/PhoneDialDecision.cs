using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>What a number dialled from a practice's phone is.</summary>
public enum PhoneDialKind
{
    /// <summary>An emergency number: out through the practice's trunk, never refused.</summary>
    Emergency,
    /// <summary>One of the practice's feature codes (<see cref="FeatureCodeDecision"/> says what it does).</summary>
    FeatureCode,
    /// <summary>The extension of another phone of the same practice.</summary>
    Internal,
    /// <summary>An outside number the practice's policy allows: out through its trunk.</summary>
    Outside,
    /// <summary>Not allowed, or not a number: the phone hears why, then the call ends.</summary>
    Refused,
    /// <summary>The call pickup code (<see cref="PickupDecision.Code"/>): takes a patient's call that rings the practice's phones.</summary>
    Pickup,
}

/// <summary>
/// Where a number dialled from a practice's phone goes, and why. Outside and emergency calls go through
/// <see cref="Trunk"/> (the practice's trunk id; null: the engine's default trunk) to <see cref="Destination"/>, presenting
/// <see cref="CallerId"/>: the number of the phone's line, else the practice's first number.
/// </summary>
public sealed record PhoneDial(PhoneDialKind Kind, string PracticeId, string PhoneId, string Dialled, string Why)
{
    /// <summary>Outside, emergency and refused numbers: their kind (national, mobile, international, premium...).</summary>
    public NumberKind? NumberKind { get; init; }
    /// <summary>What the trunk is asked to dial (E.164, or the emergency or short number as dialled).</summary>
    public string? Destination { get; init; }
    public string? CallerId { get; init; }
    public string? Trunk { get; init; }
    /// <summary>Internal calls: the phone that rings.</summary>
    public string? TargetPhone { get; init; }
    /// <summary>Outside and refused numbers: the policy field that decided, e.g. "outgoing.international: false" or "by default mobiles: true".</summary>
    public string? Policy { get; init; }
    /// <summary>Internal calls: the box that takes the message when the target is busy or does not answer (null: a message says so).</summary>
    public Voicemail? Voicemail { get; init; }
}

/// <summary>Decides what a number dialled from a practice's phone does; pure, like <see cref="RoutingDecision"/>.</summary>
public static class PhoneDialDecision
{
    /// <summary>
    /// Emergency numbers first (never blocked), then the call pickup code, then the practice's feature codes, then its phones' extensions (never
    /// another practice's), then outside numbers by the practice's <see cref="OutgoingPolicy"/>. Null when the practice or
    /// the phone is not in the rules.
    /// </summary>
    public static PhoneDial? Decide(CompiledRules rules, string practiceId, string phoneId, string dialled)
    {
        if (!rules.PracticesById.TryGetValue(practiceId, out var practice)) return null;
        if (practice.Phones.FirstOrDefault(p => p.Id.Value == phoneId) is not { } phone) return null;
        var who = $"{phone.Name ?? phone.Id.Value} of {practice.Id.Value}";
        var number = OutgoingNumbers.Classify(dialled);
        if (number.Kind == NumberKind.Emergency)
            return Out(PhoneDialKind.Emergency, practice, phone, dialled, number, $"{number.Why}: always allowed, from every phone");
        if (dialled == PickupDecision.Code)
            return new PhoneDial(PhoneDialKind.Pickup, practiceId, phoneId, dialled,
                $"call pickup: takes the call of the patient who has waited longest among those ringing phones of {practice.Id.Value} (never another practice's)");
        if (practice.FeatureCodes?.Codes.FirstOrDefault(c => c.Code.Value == dialled) is { } code)
            return new PhoneDial(PhoneDialKind.FeatureCode, practiceId, phoneId, dialled, $"feature code {code.Code.Value} of {practice.Id.Value}");
        if ((dialled.StartsWith('*') || dialled.StartsWith('#'))
            && FeatureCodeDecision.Decide(rules, practiceId, phoneId, dialled, RuntimeState.None) is { } gsm)
            return new PhoneDial(PhoneDialKind.FeatureCode, practiceId, phoneId, dialled, $"GSM code {gsm.Code} of {practice.Id.Value}");
        if (practice.Phones.FirstOrDefault(p => p.Extension?.Value == dialled) is { } target)
            return Internal(practice, phone, target, dialled);
        if (number.Kind == NumberKind.Invalid)
            return new PhoneDial(PhoneDialKind.Refused, practiceId, phoneId, dialled,
                dialled.StartsWith('*') || dialled.StartsWith('#') ? $"{dialled} is not a feature code of {practice.Id.Value}"
                    : $"{dialled}: {number.Why}, nor an extension of {practice.Id.Value}") { NumberKind = NumberKind.Invalid };
        var (field, allowed) = practice.Outgoing.For(number.Kind);
        var policy = practice.Outgoing.At is null ? $"by default {field}: {Word(allowed)}" : $"outgoing.{field}: {Word(allowed)}";
        return allowed
            ? Out(PhoneDialKind.Outside, practice, phone, dialled, number, $"{number.Why}, allowed for {who} ({policy})") with { Policy = policy }
            : new PhoneDial(PhoneDialKind.Refused, practiceId, phoneId, dialled, $"{number.Why}, not allowed for {who} ({policy})")
                { NumberKind = number.Kind, Destination = number.Destination, CallerId = CallerIdOf(practice, phone), Policy = policy };
    }

    /// <summary>The number a phone presents on outside and emergency calls: its line's first number, else the practice's first.</summary>
    public static string CallerIdOf(Practice practice, Phone phone) =>
        (phone.Line is { } l ? practice.Lines.FirstOrDefault(x => x.Id.Value == l.Value)?.Numbers.FirstOrDefault().Value : null)
        ?? practice.Numbers.FirstOrDefault().Value ?? "";

    private static PhoneDial Out(PhoneDialKind kind, Practice practice, Phone phone, string dialled, DialledNumber number, string why)
    {
        var callerId = CallerIdOf(practice, phone);
        var trunk = practice.Trunk?.Value;
        return new PhoneDial(kind, practice.Id.Value, phone.Id.Value, dialled,
            $"{why}; dial {number.Destination} through {(trunk is null ? "the default trunk" : $"trunk {trunk}")}, presenting {callerId}")
        {
            NumberKind = number.Kind, Destination = number.Destination, CallerId = callerId, Trunk = trunk,
        };
    }

    private static PhoneDial Internal(Practice practice, Phone from, Phone target, string dialled)
    {
        if (target.Id.Value == from.Id.Value)
            return new PhoneDial(PhoneDialKind.Refused, practice.Id.Value, from.Id.Value, dialled, $"extension {dialled} is this phone's own");
        var name = target.Name ?? target.Id.Value;
        var box = target.Voicemail is { } b ? practice.VoicemailBoxes.FirstOrDefault(x => x.Id.Value == b.Value) : null;
        var voicemail = box is null ? null
            : new Voicemail(box.Id.Value, box.Urgent, box.Notify, $"{name} is busy or does not answer: take a message in voicemail '{box.Id.Value}'");
        return new PhoneDial(PhoneDialKind.Internal, practice.Id.Value, from.Id.Value, dialled,
            $"extension {dialled}: ring {name} ({target.Id.Value}); if busy or no answer, "
            + (voicemail is null ? "a message says so" : $"voicemail '{box!.Id.Value}'"))
        { TargetPhone = target.Id.Value, Voicemail = voicemail };
    }

    private static string Word(bool allowed) => allowed ? "true" : "false";
}
