using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>
/// Where the numbers of a practice (or of one of its lines) go when the engine cannot take a call, or when a plan ends with
/// nobody having taken it: the overflow's remote secretariats in order (each through its trunk, with its Diversion and
/// headers), then a voicemail box of the practice. Asterisk runs it on its own (the fallback dialplan generated from it).
/// </summary>
/// <param name="Numbers">The numbers served, E.164.</param>
/// <param name="Secretariats">The secretariats of the overflow, in order; empty when there is no overflow.</param>
/// <param name="Voicemail">The box that takes a message when no secretariat answers; null when the practice has no box.</param>
/// <param name="Blocked">The practice's blocked callers (E.164): refused (403) by the fallback route too.</param>
public sealed record PracticeFallback(
    string PracticeId, string? LineId, string Name, IReadOnlyList<string> Numbers, IReadOnlyList<OverflowTarget> Secretariats, Voicemail? Voicemail,
    IReadOnlyList<string>? Blocked = null)
{
    /// <summary>The blocked callers, none when not given.</summary>
    public IReadOnlyList<string> BlockedCallers => Blocked ?? [];

    /// <summary>
    /// The box of the fallback: the last voicemail step of the closed route (a normal box), else the practice's first normal
    /// box, else its first box; null when the practice has none.
    /// </summary>
    internal static Voicemail? BoxFor(Practice practice, IReadOnlyList<PlanStep> closedSteps, PlanBuilder builder)
    {
        if (closedSteps.OfType<Voicemail>().LastOrDefault(v => !v.Urgent) is { } closed) return closed;
        var box = practice.VoicemailBoxes.FirstOrDefault(b => !b.Urgent) ?? practice.VoicemailBoxes.FirstOrDefault();
        return box is null ? null : builder.VoicemailStep(box.Id.Value, "the fallback route: take a message");
    }
}
