using PbxRouter.Routing.Model;
using YamlDotNet.RepresentationModel;

namespace PbxRouter.Routing;

/// <summary>Reads how calls are answered: greeting, messages, queue, overflow, escalation, voicemail, special callers.</summary>
internal static class AnsweringReader
{
    private static readonly IReadOnlyDictionary<string, bool> Answer = new Dictionary<string, bool> { ["early_media"] = true, ["after_answer"] = false };

    private static readonly IReadOnlyDictionary<string, QueueStrategy> Strategies = new Dictionary<string, QueueStrategy>
    {
        ["ringall"] = QueueStrategy.RingAll, ["round_robin"] = QueueStrategy.RoundRobin, ["least_recent"] = QueueStrategy.LeastRecent,
    };

    private static readonly IReadOnlyDictionary<string, VipRoute> VipRoutes = new Dictionary<string, VipRoute>
    {
        ["queue"] = VipRoute.Queue, ["escalation"] = VipRoute.Escalation,
    };

    private static readonly IReadOnlyDictionary<string, CallerNumberShown> CallerShown = new Dictionary<string, CallerNumberShown>
    {
        ["masked"] = CallerNumberShown.Masked, ["full"] = CallerNumberShown.Full, ["hidden"] = CallerNumberShown.Hidden,
    };

    private static readonly IReadOnlyDictionary<string, EmailAudio> Audio = new Dictionary<string, EmailAudio>
    {
        ["attach"] = EmailAudio.Attach, ["link"] = EmailAudio.Link,
    };

    public static Greeting? ReadGreeting(MapReader parent)
    {
        if (parent.Map("greeting", "the greeting", YamlKeys.Greeting) is not { } r) return null;
        var text = r.Text("text", required: true, hint: "what the recording says, e.g. text: \"Cabinet médical des Tilleuls, bonjour.\"") ?? "";
        return new Greeting(r.Text("sound"), text, r.Choice("answer", true, Answer), r.At);
    }

    public static IReadOnlyDictionary<string, Message> ReadMessages(MapReader parent)
    {
        var messages = new Dictionary<string, Message>(StringComparer.Ordinal);
        if (!parent.Has("messages")) return messages;
        var node = parent.Value("messages")!;
        var path = parent.FieldPath("messages");
        if (node is not YamlMappingNode map)
        {
            parent.Ctx.Error(node, path, RuleErrorCodes.WrongType, "'messages' must map a name to a message.", "e.g. closed: { sound: tilleuls-ferme, text: \"...\" }");
            return messages;
        }
        foreach (var (k, v) in map.Children)
        {
            var id = (k as YamlScalarNode)?.Value ?? "";
            var itemPath = $"{path}.{id}";
            if (!Values.IsId(id))
                parent.Ctx.Error(k, itemPath, RuleErrorCodes.InvalidValue, $"'{id}' is not a valid message name.", "use lower-case letters, digits and '-'");
            else if (v is YamlScalarNode && MapReader.ScalarOf(parent.Ctx, v, itemPath) is { } plain)
                messages[id] = new Message(id, null, plain.Value, plain.At);
            else if (MapReader.Open(parent.Ctx, v, itemPath, "a message", YamlKeys.Message) is { } r)
                messages[id] = new Message(id, r.Text("sound"), r.Text("text", required: true, hint: "the words of the recording") ?? "", r.At);
        }
        return messages;
    }

    public static QueueRule? ReadQueue(MapReader parent)
    {
        if (parent.Map("queue", "the queue", YamlKeys.Queue) is not { } r) return null;
        return new QueueRule
        {
            Members = r.ScalarList("members", required: true, hint: "list the phones that ring, e.g. members: [accueil-1, accueil-2]"),
            Strategy = r.Choice("strategy", QueueStrategy.RingAll, Strategies),
            RingTime = r.Duration("ring_time", TimeSpan.FromSeconds(20))!.Value,
            MaxWait = r.Duration("max_wait", TimeSpan.FromSeconds(60))!.Value,
            MaxCallers = r.Int("max_callers", 5, 1, 100),
            PositionEvery = r.Duration("position_every", null),
            Music = r.Text("music") ?? "default",
            OverflowWhenAllBusy = r.Bool("overflow_when_all_busy", false),
            At = r.At,
        };
    }

    public static OverflowRule? ReadOverflow(MapReader parent)
    {
        if (parent.Map("overflow", "the overflow", YamlKeys.Overflow) is not { } r) return null;
        var to = r.Items("to", (n, p) => MapReader.ScalarOf(r.Ctx, n, p), required: true, hint: "the secretariat(s) to try in order, e.g. to: [servitel]");
        return new OverflowRule(to, NumberReader.Headers(r.Ctx, r), r.At);
    }

    public static Escalation? ReadEscalation(MapReader parent)
    {
        if (parent.Map("escalation", "the urgent escalation", YamlKeys.Escalation) is not { } r) return null;
        var key = ReadKey(r, "key", required: true) ?? "9";
        var ringTime = r.Duration("ring_time", TimeSpan.FromSeconds(25))!.Value;
        return new Escalation
        {
            Key = key, ScreeningKey = ReadKey(r, "screening_key", required: false) ?? "1", RingTime = ringTime,
            Contacts = r.List("contacts", (n, p) => ReadContact(r.Ctx, n, p, ringTime)),
            Voicemail = r.Id("voicemail", required: false), At = r.At,
        };
    }

    private static string? ReadKey(MapReader r, string key, bool required)
    {
        if (r.Scalar(key, required, "one phone key, e.g. \"9\"") is not { } k) return null;
        if (k.Value.Length == 1 && (char.IsAsciiDigit(k.Value[0]) || k.Value[0] is '*' or '#')) return k.Value;
        r.Ctx.Diagnostics.Error(k.At, RuleErrorCodes.InvalidValue, $"'{k.Value}' is not a single phone key.", "use one of 0-9, * or # (quoted: \"9\")");
        return null;
    }

    private static EscalationContactRule? ReadContact(ReaderContext ctx, YamlNode node, string path, TimeSpan defaultRing)
    {
        if (MapReader.Open(ctx, node, path, "an escalation contact", YamlKeys.Contact) is not { } r) return null;
        var number = NumberReader.Read(r, "number", required: true);
        var ring = r.Duration("ring_time", defaultRing)!.Value;
        return number is null ? null : new EscalationContactRule(r.Text("name"), number.Value.Value, ring, r.At);
    }

    public static VoicemailBox? ReadVoicemailBox(ReaderContext ctx, YamlNode node, string path)
    {
        if (MapReader.Open(ctx, node, path, "a voicemail box", YamlKeys.VoicemailBox) is not { } r || r.Id() is not { } id) return null;
        var caller = r.Choice("caller_number", CallerNumberShown.Masked, CallerShown);
        return new VoicemailBox
        {
            Id = id, Name = r.Text("name"), Urgent = r.Bool("urgent", false), PinEnv = r.EnvName("pin_env", required: false)?.Value,
            OwnerPhones = r.ScalarList("owner_phones"),
            Notify = r.List("notify", (n, p) => ReadNotification(ctx, n, p)).Select(n => n with { Caller = caller }).ToList(),
            KeepDays = r.Int("keep_days", VoicemailBox.DefaultKeepDays, 1, VoicemailBox.MaxKeepDays), At = r.At,
        };
    }

    private static Notification? ReadNotification(ReaderContext ctx, YamlNode node, string path)
    {
        if (MapReader.Open(ctx, node, path, "a notification", YamlKeys.Notify) is not { } r) return null;
        if (r.Scalar("email") is { } email)
        {
            if (r.Scalar("secret_env") is { } misplaced)
                ctx.Diagnostics.Error(misplaced.At, RuleErrorCodes.InvalidValue, "secret_env signs webhooks, not e-mails.", "remove it from this e-mail target");
            var audio = r.Choice("audio", EmailAudio.Attach, Audio);
            if (IsEmailAddress(email.Value))
                return new Notification(NotificationKind.Email, email.Value) { Audio = audio };
            ctx.Diagnostics.Error(email.At, RuleErrorCodes.InvalidValue, $"'{email.Value}' is not an e-mail address.", "e.g. email: secretariat@tilleuls.fr");
        }
        else if (r.Scalar("webhook") is { } hook)
        {
            if (r.Scalar("audio") is { } misplaced)
                ctx.Diagnostics.Error(misplaced.At, RuleErrorCodes.InvalidValue, "audio is for e-mail targets: a webhook never carries the audio.",
                    "remove it from this webhook target");
            // A warning, not an error: rules stored before signing existed must still load; such a target is never sent.
            var secret = r.EnvName("secret_env", required: false);
            if (secret is null)
                ctx.Diagnostics.Warn(hook.At, RuleErrorCodes.UnsignedWebhook, "this webhook has no secret_env: the engine never sends it (notifications are always signed).",
                    "add secret_env: NAME, the environment variable of the engine holding the signing secret");
            if (Uri.TryCreate(hook.Value, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps)
                return new Notification(NotificationKind.Webhook, hook.Value) { SecretEnv = secret?.Value };
            ctx.Diagnostics.Error(hook.At, RuleErrorCodes.InvalidValue, $"'{hook.Value}' is not an https URL.",
                "voicemails are health data: webhooks must use https://");
        }
        else ctx.Error(node, path, RuleErrorCodes.MissingField, "a notification needs an email or a webhook.", "e.g. - email: secretariat@tilleuls.fr");
        return null;
    }

    /// <summary>One @, something on each side, no spaces or control characters (they would break the mail headers).</summary>
    private static bool IsEmailAddress(string value) =>
        value.Count(c => c == '@') == 1 && !value.StartsWith('@') && !value.EndsWith('@') && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    public static CallerLists ReadCallers(MapReader parent)
    {
        if (parent.Map("callers", "the caller lists", YamlKeys.Callers) is not { } r) return new CallerLists([], []);
        var vip = r.List("vip", (n, p) => ReadVip(r.Ctx, n, p));
        var blocked = r.List("blocked", (n, p) => ReadBlocked(r.Ctx, n, p));
        return new CallerLists(vip, blocked);
    }

    private static VipCaller? ReadVip(ReaderContext ctx, YamlNode node, string path)
    {
        if (MapReader.Open(ctx, node, path, "a VIP caller", YamlKeys.Vip) is not { } r) return null;
        var name = r.Text("name", required: true, hint: "who it is, e.g. name: Biolab") ?? "";
        return new VipCaller(name, NumberReader.ReadList(r, "numbers", required: true), r.Choice("route", VipRoute.Queue, VipRoutes), r.At);
    }

    private static BlockedCaller? ReadBlocked(ReaderContext ctx, YamlNode node, string path)
    {
        if (node is YamlScalarNode) return NumberReader.Read(ctx, node, path) is { } plain ? new BlockedCaller(plain, null) : null;
        if (MapReader.Open(ctx, node, path, "a blocked caller", YamlKeys.Blocked) is not { } r) return null;
        return NumberReader.Read(r, "number", required: true) is { } n ? new BlockedCaller(n, r.Text("reason")) : null;
    }
}
