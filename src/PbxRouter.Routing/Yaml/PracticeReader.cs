using NodaTime;
using PbxRouter.Routing.Model;
using YamlDotNet.RepresentationModel;

namespace PbxRouter.Routing;

/// <summary>Reads a practice, its phones and its lines.</summary>
internal static class PracticeReader
{
    public const string DefaultTimeZone = "Europe/Paris";

    public static Practice? Read(ReaderContext ctx, YamlNode node, string path)
    {
        if (MapReader.Open(ctx, node, path, "a practice", YamlKeys.Practice) is not { } r || r.Id() is not { } id) return null;
        var name = r.Text("name", required: true, hint: "the name callers know, e.g. name: Cabinet médical des Tilleuls") ?? id.Value;
        var numbers = NumberReader.ReadList(r, "numbers", required: true);
        if (!r.Has("hours"))
            r.Missing("hours", "give the opening hours, e.g. hours: { monday-friday: [\"08:00-12:30\", \"14:00-19:00\"] }");
        return new Practice
        {
            Id = id, Name = name, Numbers = numbers, Trunk = r.Id("trunk", required: false), TimeZone = ReadTimeZone(r),
            ServiceLevelSeconds = r.Int("service_level_seconds", Practice.DefaultServiceLevelSeconds, 1, 600),
            Phones = r.List("phones", (n, p) => ReadPhone(ctx, n, p)),
            Rules = ReadRules(r),
            VoicemailBoxes = r.List("voicemail_boxes", (n, p) => AnsweringReader.ReadVoicemailBox(ctx, n, p)),
            Callers = AnsweringReader.ReadCallers(r),
            Modes = r.List("modes", (n, p) => RoutesReader.ReadMode(ctx, n, p)),
            FeatureCodes = RoutesReader.ReadFeatureCodes(r),
            Lines = r.List("lines", (n, p) => ReadLine(ctx, n, p)),
            Outgoing = ReadOutgoing(r),
            Cti = CtiReader.Read(r),
            At = r.At,
        };
    }

    private static Located<string> ReadTimeZone(MapReader r)
    {
        if (r.Scalar("time_zone") is not { } tz) return new Located<string>(DefaultTimeZone, r.FieldAt("time_zone"));
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(tz.Value) is null)
        {
            r.Ctx.Diagnostics.Error(tz.At, RuleErrorCodes.InvalidTimeZone, $"'{tz.Value}' is not a known time zone.",
                (Suggest.DidYouMean(tz.Value, DateTimeZoneProviders.Tzdb.Ids) ?? "") +
                " use an IANA name: Europe/Paris (metropolitan France), Indian/Reunion, America/Martinique, America/Guadeloupe, America/Cayenne, Indian/Mayotte, America/Marigot, America/St_Barthelemy");
            return tz with { Value = DefaultTimeZone };
        }
        return tz;
    }

    private static Phone? ReadPhone(ReaderContext ctx, YamlNode node, string path)
    {
        if (MapReader.Open(ctx, node, path, "a phone", YamlKeys.Phone) is not { } r || r.Id() is not { } id) return null;
        var extension = r.Scalar("extension");
        if (extension is { } e && (e.Value.Length is 0 or > 8 || !e.Value.All(char.IsAsciiDigit)))
            ctx.Diagnostics.Error(e.At, RuleErrorCodes.InvalidValue, $"'{e.Value}' is not a valid extension.", "use 2 to 8 digits, e.g. extension: \"101\"");
        var env = r.EnvName("password_env", required: true);
        return new Phone
        {
            Id = id, Name = r.Text("name"), Extension = extension, PasswordEnv = env?.Value ?? "",
            Mobile = NumberReader.Read(r, "mobile", required: false)?.Value,
            Line = r.Id("line", required: false), Voicemail = r.Id("voicemail", required: false), At = r.At,
        };
    }

    /// <summary>The outside numbers the practice's phones may call; each field defaults as <see cref="OutgoingPolicy.Default"/>.</summary>
    private static OutgoingPolicy ReadOutgoing(MapReader parent)
    {
        if (parent.Map("outgoing", "the outgoing calls policy", YamlKeys.Outgoing) is not { } r) return OutgoingPolicy.Default;
        var d = OutgoingPolicy.Default;
        return new OutgoingPolicy(r.Bool("national", d.National), r.Bool("mobiles", d.Mobiles), r.Bool("international", d.International),
            r.Bool("premium", d.Premium), r.At);
    }

    private static PracticeLine? ReadLine(ReaderContext ctx, YamlNode node, string path)
    {
        if (MapReader.Open(ctx, node, path, "a line", YamlKeys.Line) is not { } r || r.Id() is not { } id) return null;
        return new PracticeLine
        {
            Id = id, Name = r.Text("name"), Numbers = NumberReader.ReadList(r, "numbers", required: true), Rules = ReadRules(r), At = r.At,
        };
    }

    /// <summary>The overridable part, shared by practices and lines; absent fields stay null.</summary>
    private static RoutingRules ReadRules(MapReader r) => new()
    {
        Hours = ScheduleReader.ReadHours(r, "hours"),
        AfterHours = ScheduleReader.ReadHours(r, "after_hours"),
        Holidays = ScheduleReader.ReadHolidays(r),
        Closures = r.Has("closures") ? r.List("closures", (n, p) => ScheduleReader.ReadClosure(r.Ctx, n, p)) : null,
        ExceptionalOpenings = r.Has("exceptional_openings")
            ? r.List("exceptional_openings", (n, p) => ScheduleReader.ReadExceptionalOpening(r.Ctx, n, p)) : null,
        Greeting = AnsweringReader.ReadGreeting(r),
        Messages = AnsweringReader.ReadMessages(r),
        Queue = AnsweringReader.ReadQueue(r),
        Overflow = AnsweringReader.ReadOverflow(r),
        Escalation = AnsweringReader.ReadEscalation(r),
        Routes = RoutesReader.ReadRoutes(r),
    };
}
