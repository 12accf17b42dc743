namespace PbxRouter.Routing;

/// <summary>Decides where a call goes: pure, no clock, no I/O; everything heavy was precomputed by the compiler.</summary>
public static class RoutingDecision
{
    /// <summary>The plan for <paramref name="request"/> under <paramref name="rules"/> and the runtime <paramref name="state"/>.</summary>
    public static CallPlan Decide(CompiledRules rules, CallRequest request, RuntimeState state)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        Span<char> called = stackalloc char[PhoneNumbers.MaxLength];
        if (!PhoneNumbers.TryNormalize(request.CalledNumber, called, lenient: true, out var calledLength)
            || !rules.TryFindLine(called[..calledLength], out var line))
            return Unknown(request.CalledNumber);

        Span<char> callerBuffer = stackalloc char[PhoneNumbers.MaxLength];
        var caller = PhoneNumbers.TryNormalize(request.CallerNumber, callerBuffer, lenient: true, out var callerLength)
            ? callerBuffer[..callerLength] : [];
        if (!caller.IsEmpty && line.Blocked.TryGetValue(caller, out var refuse))
            return new CallPlan
            {
                PracticeId = line.PracticeId, PracticeName = line.PracticeName, LineId = line.LineId, PracticeState = PracticeState.Blocked,
                Reason = "blocked caller", Steps = refuse,
            };

        var local = request.At.InZone(line.Zone).LocalDateTime;
        var (baseState, reason) = line.Schedule.Evaluate(local);
        if (state.ForwardedTo.TryGetValue(line.PracticeId, out var forwardTo))
        {
            if (ForwardRefused(rules, line.PracticeId, forwardTo) is not { } refused)
                return Forwarded(line, forwardTo, state.ActivatedBy.GetValueOrDefault(line.PracticeId), reason, local, caller);
            reason = $"{reason} (the forward to {PhoneNumbers.ToNational(forwardTo)} was ignored: {refused})";
        }
        var plan = line.PlanFor(baseState);
        var planState = baseState;
        string? modeId = null;
        if (state.ActiveModes.TryGetValue(line.PracticeId, out var active))
        {
            if (!line.Modes.TryGetValue(active, out var mode))
                reason = $"{reason} (active mode '{active}' is unknown to this practice and was ignored)";
            else if (mode.During[(int)baseState])
            {
                plan = state.ActivatedBy.TryGetValue(line.PracticeId, out var phone) && mode.ByPhone.TryGetValue(phone, out var byPhone) ? byPhone : mode.Plan;
                planState = PracticeState.Mode;
                modeId = mode.Id;
                reason = $"mode {mode.Id}{(mode.Name is null ? "" : $" ({mode.Name})")} is on; the schedule says {reason}";
            }
            else reason = $"{reason} (mode {mode.Id} is on but does not apply in this state)";
        }

        var (steps, urgent) = (plan.Steps, plan.Urgent);
        string? vip = null;
        if (!caller.IsEmpty && line.VipIndex.TryGetValue(caller, out var vipIndex))
        {
            (steps, urgent) = (plan.Vip[vipIndex], plan.VipUrgent[vipIndex]);
            vip = line.Vips[vipIndex].Name;
        }
        return new CallPlan
        {
            PracticeId = line.PracticeId, PracticeName = line.PracticeName, LineId = line.LineId, PracticeState = planState, Reason = reason,
            Mode = modeId, LocalTime = local, TimeZone = line.ZoneId, Vip = vip, Steps = steps, UrgentSteps = urgent,
        };
    }

    /// <summary>
    /// Staff forwarded the practice's patient calls to a number (<c>*21*NUMBER#</c>): whatever the schedule and the caller (VIP
    /// included; blocked callers were refused above), the number rings through the practice's trunk, then the practice's
    /// fallback box takes a message.
    /// </summary>
    private static CallPlan Forwarded(CompiledLine line, string number, string? by, string scheduleSays, NodaTime.LocalDateTime local, ReadOnlySpan<char> caller)
    {
        string? vip = null;
        if (!caller.IsEmpty && line.VipIndex.TryGetValue(caller, out var vipIndex)) vip = line.Vips[vipIndex].Name;
        return new CallPlan
        {
            PracticeId = line.PracticeId, PracticeName = line.PracticeName, LineId = line.LineId, PracticeState = PracticeState.Forwarded,
            Reason = $"forwarded to {PhoneNumbers.ToNational(number)}{(by is null ? "" : $" by {by}")} (*21*NUMBER#); the schedule says {scheduleSays}",
            LocalTime = local, TimeZone = line.ZoneId, Vip = vip, Steps = line.ForwardPlan(number),
        };
    }

    /// <summary>
    /// Why a stored forward no longer applies under the rules in force (the outgoing policy changed since *21*NUMBER#, or the
    /// number became a practice's), or null when it does.
    /// </summary>
    private static string? ForwardRefused(CompiledRules rules, string practiceId, string number)
    {
        if (!rules.PracticesById.TryGetValue(practiceId, out var practice)) return "the practice is not in the rules";
        var kind = OutgoingNumbers.Classify(number).Kind;
        var (field, allowed) = practice.Outgoing.For(kind);
        if (kind is NumberKind.Emergency or NumberKind.Invalid || !allowed) return $"the practice's outgoing policy does not allow it ({field}: false)";
        return rules.TryFindLine(number, out _) ? "it is a practice's number" : null;
    }

    private static CallPlan Unknown(string called) => new()
    {
        PracticeState = PracticeState.UnknownNumber,
        Reason = $"unknown number: {called} is not assigned to any practice",
        Steps = [new Refuse(404, "no practice answers on this number")],
    };
}
