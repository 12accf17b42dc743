using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PbxRouter.Routing;

/// <summary>Explains a call plan to people (text) and to machines (JSON).</summary>
public static class PlanFormatter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new SecondsConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Multi-line explanation: practice, time, state and reason, then numbered steps with their why.</summary>
    public static string ToText(CallPlan plan)
    {
        var text = new StringBuilder();
        text.AppendLine(plan.PracticeId is null ? "Practice: none" : $"Practice: {plan.PracticeName} ({plan.PracticeId}{(plan.LineId is null ? "" : $", line {plan.LineId}")})");
        if (plan.LocalTime is { } t)
            text.AppendLine($"When:     {t.ToString("dddd yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} ({plan.TimeZone})");
        text.AppendLine($"State:    {plan.PracticeState}{(plan.Mode is null ? "" : $" {plan.Mode}")}: {plan.Reason}");
        if (plan.Vip is not null) text.AppendLine($"Caller:   VIP {plan.Vip}");
        text.AppendLine("Steps:");
        AppendSteps(text, plan.Steps);
        if (plan.UrgentKey is { } key)
        {
            text.AppendLine($"If the caller presses {key} (urgent):");
            AppendSteps(text, plan.UrgentSteps);
        }
        return text.ToString();
    }

    /// <summary>The plan as indented JSON; steps carry a "type" and durations are in seconds.</summary>
    public static string ToJson(CallPlan plan) => JsonSerializer.Serialize(new
    {
        plan.PracticeId,
        plan.PracticeName,
        plan.LineId,
        State = plan.PracticeState,
        plan.Mode,
        plan.Reason,
        LocalTime = plan.LocalTime?.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        plan.TimeZone,
        plan.Vip,
        plan.Steps,
        plan.UrgentSteps,
    }, Json);

    /// <summary>One line saying what a step does.</summary>
    public static string Describe(PlanStep step) => step switch
    {
        PlayGreeting g => $"Greeting {(g.EarlyMedia ? "(early media, before answering)" : "(after answering)")}{Sound(g.Sound)}: \"{g.Text}\"",
        Announce a => $"Announce '{a.MessageId}'{Sound(a.Prompt)}: \"{a.Text}\"",
        Queue q => $"Queue {q.QueueId}: ring {string.Join(", ", q.Members)} ({Strategy(q.Strategy)}), {S(q.RingTime)} ring, max wait {S(q.MaxWait)}, max {q.MaxCallers} callers"
                   + (q.PositionInterval is { } p ? $", position every {S(p)}" : "") + $", music '{q.Music}'"
                   + (q.OverflowWhenAllBusy ? ", leaves when all busy" : "") + (q.UrgentKey is null ? "" : $", urgent key {q.UrgentKey}"),
        Overflow o => "Overflow to " + string.Join("; then ", o.Targets.Select(t =>
            $"{t.Name ?? t.SecretariatId} {t.Destination}" + (t.Trunk is null ? "" : $" via {t.Trunk}")
            + (t.Diversion ? ", Diversion" : "") + (t.HistoryInfo ? ", History-Info" : "")
            + string.Concat(t.Headers.Select(h => $", {h.Key}: {h.Value}")))),
        Escalate e => "Escalate: " + string.Join(", then ", e.Contacts.Select(c => $"{c.Name ?? c.Number} {c.Number} ({S(c.RingTime)})"))
                      + $"; accept with {e.ScreeningKey}",
        Voicemail v => $"Voicemail '{v.Box}'{(v.Urgent ? " (urgent)" : "")}" + (v.Notify.Count == 0 ? "" : $", notify {string.Join(", ", v.Notify.Select(n => n.Target))}"),
        Forward f => $"Forward to {f.Number}",
        Refuse r => $"Refuse (SIP {r.SipStatus})",
        Hangup => "Hang up",
        _ => step.GetType().Name,
    };

    private static void AppendSteps(StringBuilder text, IReadOnlyList<PlanStep> steps)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            text.AppendLine($"  {i + 1}. {Describe(steps[i])}");
            text.AppendLine($"     why: {steps[i].Why}");
        }
    }

    private static string Sound(string? sound) => sound is null ? "" : $" [{sound}]";

    private static string S(TimeSpan t) => $"{t.TotalSeconds:0} s";

    private static string Strategy(QueueStrategy s) => s switch
    {
        QueueStrategy.RoundRobin => "round robin",
        QueueStrategy.LeastRecent => "least recent",
        _ => "ring all",
    };

    /// <summary>Durations as seconds, which is what ARI and people want.</summary>
    private sealed class SecondsConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TimeSpan.FromSeconds(reader.GetDouble());

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.TotalSeconds);
    }
}
