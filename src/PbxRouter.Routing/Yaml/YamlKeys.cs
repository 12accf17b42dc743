namespace PbxRouter.Routing;

/// <summary>The allowed keys of every mapping in the rules format (kept in one place so the JSON Schema can be checked against it).</summary>
internal static class YamlKeys
{
    public static readonly string[] Root = ["version", "trunks", "secretariats", "practices"];
    public static readonly string[] Trunk = ["id", "name", "host", "transport", "registration", "ip_addresses"];
    public static readonly string[] Registration = ["username", "password_env", "contact_user", "expiration", "retry_interval"];
    public static readonly string[] Secretariat = ["id", "name", "number", "uri", "trunk", "diversion", "history_info", "headers"];
    public static readonly string[] LineRules = ["hours", "after_hours", "holidays", "closures", "exceptional_openings", "greeting", "messages", "queue", "overflow", "escalation", "routes"];
    public static readonly string[] Line = ["id", "name", "numbers", .. LineRules];
    public static readonly string[] Practice = ["id", "name", "numbers", "trunk", "time_zone", "service_level_seconds", "phones", "voicemail_boxes", "callers", "modes", "feature_codes", "lines", "outgoing", "cti", .. LineRules];
    public static readonly string[] Cti = ["webhook", "secret_env", "caller_numbers"];
    public static readonly string[] Phone = ["id", "name", "extension", "password_env", "mobile", "line", "voicemail"];
    public static readonly string[] Outgoing = ["national", "mobiles", "international", "premium"];
    public static readonly string[] Holidays = ["calendar", "extra"];
    public static readonly string[] CustomHoliday = ["date", "every_year", "name"];
    public static readonly string[] Closure = ["from", "to", "reason"];
    public static readonly string[] ExceptionalOpening = ["date", "hours", "reason"];
    public static readonly string[] Greeting = ["sound", "text", "answer"];
    public static readonly string[] Message = ["sound", "text"];
    public static readonly string[] Queue = ["members", "strategy", "ring_time", "max_wait", "max_callers", "position_every", "music", "overflow_when_all_busy"];
    public static readonly string[] Overflow = ["to", "headers"];
    public static readonly string[] Escalation = ["key", "screening_key", "ring_time", "contacts", "voicemail"];
    public static readonly string[] Contact = ["name", "number", "ring_time"];
    public static readonly string[] VoicemailBox = ["id", "name", "urgent", "pin_env", "owner_phones", "caller_number", "notify", "keep_days"];
    public static readonly string[] Notify = ["email", "webhook", "audio", "secret_env"];
    public static readonly string[] Callers = ["vip", "blocked"];
    public static readonly string[] Vip = ["name", "numbers", "route"];
    public static readonly string[] Blocked = ["number", "reason"];
    public static readonly string[] Routes = ["open", "lunch", "after_hours", "closed", "holiday", "closure"];
    public static readonly string[] StepWithArgument = ["announce", "voicemail", "forward"];
    public static readonly string[] StepWords = ["greeting", "queue", "overflow", "escalate", "hangup"];
    public static readonly string[] Mode = ["id", "name", "steps", "during", "lines"];

    /// <summary>The name that designates a practice's own numbers in a mode's lines.</summary>
    public const string MainLine = "main";
    public static readonly string[] FeatureCodes = ["pin_env", "without_pin", "codes"];
    public static readonly string[] FeatureCode = ["code", "activate", "toggle", "cancel", "voicemail", "without_pin"];
    public static readonly string[] Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "mon", "tue", "wed", "thu", "fri", "sat", "sun", "weekdays", "weekend", "every_day"];

    /// <summary>Route keys to states.</summary>
    public static readonly IReadOnlyDictionary<string, PracticeState> States = new Dictionary<string, PracticeState>
    {
        ["open"] = PracticeState.Open, ["lunch"] = PracticeState.Lunch, ["after_hours"] = PracticeState.AfterHours,
        ["closed"] = PracticeState.Closed, ["holiday"] = PracticeState.Holiday, ["closure"] = PracticeState.Closure,
    };

    public static string StateKey(PracticeState state) => States.First(kv => kv.Value == state).Key;
}
