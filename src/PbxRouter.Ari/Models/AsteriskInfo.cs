namespace PbxRouter.Ari;

/// <summary>Asterisk system information (asterisk.json "AsteriskInfo").</summary>
public sealed record AsteriskInfo
{
    public BuildInfo? Build { get; init; }
    public SystemInfo? System { get; init; }
    public ConfigInfo? Config { get; init; }
    public StatusInfo? Status { get; init; }
}

/// <summary>How Asterisk was built.</summary>
public sealed record BuildInfo
{
    public string Os { get; init => field = value ?? ""; } = "";
    public string Kernel { get; init => field = value ?? ""; } = "";
    public string Options { get; init => field = value ?? ""; } = "";
    public string Machine { get; init => field = value ?? ""; } = "";
    public string Date { get; init => field = value ?? ""; } = "";
    public string User { get; init => field = value ?? ""; } = "";
}

/// <summary>Asterisk version and entity id.</summary>
public sealed record SystemInfo
{
    public string Version { get; init => field = value ?? ""; } = "";
    public string EntityId { get; init => field = value ?? ""; } = "";
}

/// <summary>Asterisk configuration summary.</summary>
public sealed record ConfigInfo
{
    public string Name { get; init => field = value ?? ""; } = "";
    public string DefaultLanguage { get; init => field = value ?? ""; } = "";
    public int? MaxChannels { get; init; }
    public int? MaxOpenFiles { get; init; }
    public double? MaxLoad { get; init; }
    public SetId? Setid { get; init; }
}

/// <summary>User and group Asterisk runs as.</summary>
public sealed record SetId
{
    public string User { get; init => field = value ?? ""; } = "";
    public string Group { get; init => field = value ?? ""; } = "";
}

/// <summary>Startup and last reload times.</summary>
public sealed record StatusInfo
{
    public DateTimeOffset StartupTime { get; init; }
    public DateTimeOffset LastReloadTime { get; init; }
}

/// <summary>One attribute of a dynamic configuration object (asterisk.json "ConfigTuple").</summary>
public sealed record ConfigTuple(string Attribute, string Value);

/// <summary>The value of a channel or global variable (asterisk.json "Variable").</summary>
public sealed record Variable
{
    public string? Value { get; init; }
}
