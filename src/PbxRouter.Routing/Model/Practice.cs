namespace PbxRouter.Routing.Model;

/// <summary>A medical practice: its numbers, phones, schedule, and what happens to calls in each state.</summary>
public sealed record Practice
{
    public required Located<string> Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Public numbers, normalised to E.164.</summary>
    public required IReadOnlyList<Located<string>> Numbers { get; init; }
    public Located<string>? Trunk { get; init; }
    public required Located<string> TimeZone { get; init; }
    /// <summary>The practice's service level target for its figures: a call counts as answered in time within this many seconds.</summary>
    public int ServiceLevelSeconds { get; init; } = DefaultServiceLevelSeconds;
    public const int DefaultServiceLevelSeconds = 20;
    public IReadOnlyList<Phone> Phones { get; init; } = [];
    public required RoutingRules Rules { get; init; }
    public IReadOnlyList<VoicemailBox> VoicemailBoxes { get; init; } = [];
    public CallerLists Callers { get; init; } = new([], []);
    public IReadOnlyList<Mode> Modes { get; init; } = [];
    public FeatureCodes? FeatureCodes { get; init; }
    public IReadOnlyList<PracticeLine> Lines { get; init; } = [];
    /// <summary>Which outside numbers the practice's phones may call (emergency numbers always).</summary>
    public OutgoingPolicy Outgoing { get; init; } = OutgoingPolicy.Default;
    /// <summary>Where the practice's live call events are posted (docs/cti.md); null: no webhook.</summary>
    public PracticeCti? Cti { get; init; }
    public required SourceLocation At { get; init; }
}

/// <summary>A direct number inside a practice (e.g. one practitioner's line) whose rules override the practice's.</summary>
public sealed record PracticeLine
{
    public required Located<string> Id { get; init; }
    public string? Name { get; init; }
    public required IReadOnlyList<Located<string>> Numbers { get; init; }
    /// <summary>Only the fields written in the line; the rest comes from the practice.</summary>
    public required RoutingRules Rules { get; init; }
    public required SourceLocation At { get; init; }
}

/// <summary>A desk or reception phone registered on the PBX; its SIP password lives in the named environment variable.</summary>
public sealed record Phone
{
    public required Located<string> Id { get; init; }
    public string? Name { get; init; }
    public Located<string>? Extension { get; init; }
    public required string PasswordEnv { get; init; }
    /// <summary>The owner's mobile (E.164), used by "forward to my mobile".</summary>
    public string? Mobile { get; init; }
    /// <summary>The practice's line whose number this phone presents on outside and emergency calls (null: the practice's number).</summary>
    public Located<string>? Line { get; init; }
    /// <summary>The voicemail box that takes an internal call this phone does not answer (null: a message says so).</summary>
    public Located<string>? Voicemail { get; init; }
    public required SourceLocation At { get; init; }
}

/// <summary>The part of a practice's rules that a line may override field by field.</summary>
public sealed record RoutingRules
{
    public OpeningHours? Hours { get; init; }
    public OpeningHours? AfterHours { get; init; }
    public HolidayRules? Holidays { get; init; }
    public IReadOnlyList<Closure>? Closures { get; init; }
    public IReadOnlyList<ExceptionalOpening>? ExceptionalOpenings { get; init; }
    public Greeting? Greeting { get; init; }
    public IReadOnlyDictionary<string, Message> Messages { get; init; } = new Dictionary<string, Message>();
    public QueueRule? Queue { get; init; }
    public OverflowRule? Overflow { get; init; }
    public Escalation? Escalation { get; init; }
    public IReadOnlyDictionary<PracticeState, StateRoute> Routes { get; init; } = new Dictionary<PracticeState, StateRoute>();

    /// <summary>This line's rules laid over the practice's: fields replace, messages and routes merge by name.</summary>
    public RoutingRules Over(RoutingRules practice) => new()
    {
        Hours = Hours ?? practice.Hours,
        AfterHours = AfterHours ?? practice.AfterHours,
        Holidays = Holidays ?? practice.Holidays,
        Closures = Closures ?? practice.Closures,
        ExceptionalOpenings = ExceptionalOpenings ?? practice.ExceptionalOpenings,
        Greeting = Greeting ?? practice.Greeting,
        Messages = Merge(practice.Messages, Messages),
        Queue = Queue ?? practice.Queue,
        Overflow = Overflow ?? practice.Overflow,
        Escalation = Escalation ?? practice.Escalation,
        Routes = Merge(practice.Routes, Routes),
    };

    private static Dictionary<TKey, TValue> Merge<TKey, TValue>(IReadOnlyDictionary<TKey, TValue> under, IReadOnlyDictionary<TKey, TValue> over)
        where TKey : notnull
    {
        var merged = new Dictionary<TKey, TValue>(under.Count + over.Count);
        foreach (var (k, v) in under) merged[k] = v;
        foreach (var (k, v) in over) merged[k] = v;
        return merged;
    }
}
