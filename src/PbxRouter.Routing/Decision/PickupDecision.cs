namespace PbxRouter.Routing;

/// <summary>A patient's call whose reception queue rings phones of its practice right now.</summary>
/// <param name="WaitingSince">When the patient joined the queue (the one who waited longest is taken first).</param>
public sealed record RingingCall(string CallId, string PracticeId, IReadOnlyList<string> Phones, DateTimeOffset WaitingSince);

/// <summary>
/// Call pickup: a phone of a practice dials <see cref="Code"/> to take a patient's call that rings other phones of the
/// practice (its reception queue). Pure: which ringing calls the phone may take, in which order.
/// </summary>
public static class PickupDecision
{
    /// <summary>The pickup code, the same for every practice (not a field of the rules; a feature code cannot use it).</summary>
    public const string Code = "*8";

    /// <summary>
    /// The ringing calls the phone of <paramref name="practiceId"/> may take, best first: its own practice's only (never
    /// another practice's), the patient who has waited longest first; empty when nothing of the practice rings.
    /// </summary>
    public static IReadOnlyList<RingingCall> Candidates(string practiceId, IEnumerable<RingingCall> ringing) =>
        ringing.Where(c => c.PracticeId == practiceId && c.Phones.Count > 0)
            .OrderBy(c => c.WaitingSince).ThenBy(c => c.CallId, StringComparer.Ordinal).ToList();
}
