using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PbxRouter.Routing;

/// <summary>Explains what a number dialled from a practice's phone does (`pbxrouter route --phone`), to people and to machines.</summary>
public static class PhoneDialFormatter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ToText(PhoneDial dial)
    {
        var text = new StringBuilder();
        text.AppendLine($"Phone:    {dial.PhoneId} ({dial.PracticeId})");
        text.AppendLine($"Dialled:  {dial.Dialled}");
        text.AppendLine($"Call:     {Describe(dial)}");
        if (dial.Destination is { } d && dial.Kind is PhoneDialKind.Outside or PhoneDialKind.Emergency)
        {
            text.AppendLine($"Dials:    {d} through {(dial.Trunk is null ? "the default trunk (Engine:DefaultTrunk)" : $"trunk {dial.Trunk}")}");
            text.AppendLine($"Presents: {dial.CallerId}");
        }
        if (dial.Kind == PhoneDialKind.Emergency)
            text.AppendLine("Path:     Asterisk's dialplan, before the engine (works with the engine down; never blocked)");
        text.AppendLine($"Why:      {dial.Why}");
        return text.ToString();
    }

    public static string ToJson(PhoneDial dial) => JsonSerializer.Serialize(dial, Json);

    private static string Describe(PhoneDial dial) => dial.Kind switch
    {
        PhoneDialKind.Emergency => "emergency number: goes out",
        PhoneDialKind.FeatureCode => "feature code",
        PhoneDialKind.Pickup => "call pickup: connected to a patient's call that rings the practice's phones, if any (else a message says so)",
        PhoneDialKind.Internal => $"internal call to {dial.TargetPhone}" + (dial.Voicemail is { } box ? $", then voicemail '{box.Box}'" : ""),
        PhoneDialKind.Outside => $"outside call ({Kind(dial.NumberKind)}): goes out",
        _ => $"refused ({Kind(dial.NumberKind)}): the phone hears why, then the call ends",
    };

    private static string Kind(NumberKind? kind) => kind switch
    {
        NumberKind.National => "national number",
        NumberKind.Mobile => "mobile",
        NumberKind.International => "international",
        NumberKind.Premium => "premium-rate or short number",
        NumberKind.Emergency => "emergency",
        _ => "not a number of the practice",
    };
}
