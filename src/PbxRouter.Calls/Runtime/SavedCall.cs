using System.Text.Json;
using System.Text.Json.Serialization;

namespace PbxRouter.Calls.Runtime;

/// <summary>
/// Where a patient's call stands, kept on the caller's own channel (<see cref="Variable"/>) so that an engine started
/// after a crash or a restart finds it in Asterisk and takes the call back instead of tearing it down: when it started,
/// the rules version and step it follows, since when it waits in which queue (its place in line), who it is connected
/// to, the message it is recording. Written at each step, on joining a queue, on starting a message and on connecting;
/// read only when adopting.
/// </summary>
public sealed record SavedCall(
    DateTimeOffset StartedAt,
    int RulesVersion,
    bool Urgent = false,
    int Step = -1,
    string? QueueId = null,
    DateTimeOffset? QueuedAt = null,
    SavedConnection? Connection = null,
    int Adoptions = 0,
    string? Recording = null)
{
    /// <summary>The caller channel's variable that holds the saved state (JSON).</summary>
    public const string Variable = "PBXROUTER_STATE";

    public string ToText() => JsonSerializer.Serialize(this, SavedCallJson.Default.SavedCall);

    /// <summary>The saved state, or null when there is none or it cannot be read (an older format, a damaged value).</summary>
    public static SavedCall? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return JsonSerializer.Deserialize(text, SavedCallJson.Default.SavedCall);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// The person or service a call is connected to: the leg (channel) bridged with the caller, since when; after a transfer,
/// who had answered first (the call record's "answered by").
/// </summary>
public sealed record SavedConnection(string Leg, string AnsweredBy, string Outcome, DateTimeOffset At, string? FirstAnsweredBy = null);

[JsonSerializable(typeof(SavedCall))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class SavedCallJson : JsonSerializerContext;
