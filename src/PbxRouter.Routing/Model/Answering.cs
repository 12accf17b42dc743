namespace PbxRouter.Routing.Model;

/// <summary>The greeting played first: a sound (prompt) name and its text, before or after answering.</summary>
public sealed record Greeting(string? Sound, string Text, bool EarlyMedia, SourceLocation At);

/// <summary>A named announcement (e.g. the closed message with 15 and 116 117).</summary>
public sealed record Message(string Id, string? Sound, string Text, SourceLocation At);

/// <summary>The practice's reception queue: which phones ring, how, and when to give up and overflow.</summary>
public sealed record QueueRule
{
    public required IReadOnlyList<Located<string>> Members { get; init; }
    public QueueStrategy Strategy { get; init; } = QueueStrategy.RingAll;
    public TimeSpan RingTime { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(60);
    public int MaxCallers { get; init; } = 5;
    public TimeSpan? PositionEvery { get; init; }
    public string Music { get; init; } = "default";
    public bool OverflowWhenAllBusy { get; init; }
    public required SourceLocation At { get; init; }
}

/// <summary>Where calls go when the practice cannot answer: one or more remote secretariats, tried in order.</summary>
public sealed record OverflowRule(IReadOnlyList<Located<string>> To, IReadOnlyDictionary<string, string> Headers, SourceLocation At);

/// <summary>The urgent escalation chain: the caller presses a key, practitioners' mobiles ring in turn with call screening.</summary>
public sealed record Escalation
{
    public required string Key { get; init; }
    public string ScreeningKey { get; init; } = "1";
    public TimeSpan RingTime { get; init; } = TimeSpan.FromSeconds(25);
    public required IReadOnlyList<EscalationContactRule> Contacts { get; init; }
    public Located<string>? Voicemail { get; init; }
    public required SourceLocation At { get; init; }
}

/// <summary>One person of the escalation chain.</summary>
public sealed record EscalationContactRule(string? Name, string Number, TimeSpan RingTime, SourceLocation At);

/// <summary>A voicemail box and who is told about new messages.</summary>
public sealed record VoicemailBox
{
    public required Located<string> Id { get; init; }
    public string? Name { get; init; }
    public bool Urgent { get; init; }
    public string? PinEnv { get; init; }
    /// <summary>Phones of the practice that listen to the box (*97) without its PIN; every other phone needs <see cref="PinEnv"/>.</summary>
    public IReadOnlyList<Located<string>> OwnerPhones { get; init; } = [];
    public IReadOnlyList<Notification> Notify { get; init; } = [];
    /// <summary>Days a message is kept (from its recording) before the engine's retention job deletes its audio and its row.</summary>
    public int KeepDays { get; init; } = DefaultKeepDays;
    public required SourceLocation At { get; init; }

    public const int DefaultKeepDays = 30;
    public const int MaxKeepDays = 3650;
}

/// <summary>Callers that get special treatment: VIPs (laboratories, confrères) and blocked numbers.</summary>
public sealed record CallerLists(IReadOnlyList<VipCaller> Vip, IReadOnlyList<BlockedCaller> Blocked);

/// <summary>A VIP caller: its numbers and the route it takes.</summary>
public sealed record VipCaller(string Name, IReadOnlyList<Located<string>> Numbers, VipRoute Route, SourceLocation At);

/// <summary>A blocked number (harassment...), refused before anything else.</summary>
public sealed record BlockedCaller(Located<string> Number, string? Reason);
