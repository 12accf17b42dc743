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
    public string Os { get; init; } = "";
    public string Kernel { get; init; } = "";
    public string Options { get; init; } = "";
    public string Machine { get; init; } = "";
    public string Date { get; init; } = "";
    public string User { get; init; } = "";
}

/// <summary>Asterisk version and entity id.</summary>
public sealed record SystemInfo
{
    public string Version { get; init; } = "";
    public string EntityId { get; init; } = "";
}

/// <summary>Asterisk configuration summary.</summary>
public sealed record ConfigInfo
{
    public string Name { get; init; } = "";
    public string DefaultLanguage { get; init; } = "";
    public int? MaxChannels { get; init; }
    public int? MaxOpenFiles { get; init; }
    public double? MaxLoad { get; init; }
    public SetId? Setid { get; init; }
}

/// <summary>User and group Asterisk runs as.</summary>
public sealed record SetId
{
    public string User { get; init; } = "";
    public string Group { get; init; } = "";
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
