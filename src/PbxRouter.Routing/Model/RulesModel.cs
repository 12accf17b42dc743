namespace PbxRouter.Routing.Model;

/// <summary>Everything read from the rules files: shared trunks and secretariats, and the practices.</summary>
public sealed record RulesModel(IReadOnlyList<Trunk> Trunks, IReadOnlyList<Secretariat> Secretariats, IReadOnlyList<Practice> Practices);

/// <summary>A SIP trunk to the operator: it either registers (username + password from the environment) or is identified by IP.</summary>
public sealed record Trunk
{
    public required Located<string> Id { get; init; }
    public string? Name { get; init; }
    public required string Host { get; init; }
    /// <summary>udp, tcp or tls: the PJSIP transport its endpoint and registration use (never downgraded).</summary>
    public string Transport { get; init; } = "udp";
    /// <summary>Where `transport:` is written (the trunk itself when it is not).</summary>
    public SourceLocation? TransportAt { get; init; }
    public TrunkRegistration? Registration { get; init; }
    public IReadOnlyList<string> IpAddresses { get; init; } = [];
    public required SourceLocation At { get; init; }
}

/// <summary>
/// Registration of a trunk: credentials (the password lives in the named environment variable), the user part of the
/// contact it registers (the carrier's INVITEs come back to it: the called number the engine sees), and its timers.
/// </summary>
public sealed record TrunkRegistration(string Username, string PasswordEnv)
{
    /// <summary>The user of the registered contact; incoming calls on the registration arrive at this number.</summary>
    public string ContactUser { get; init; } = Username;
    public SourceLocation? ContactUserAt { get; init; }
    /// <summary>Registration lifetime asked of the registrar, in seconds (Asterisk re-registers before it ends).</summary>
    public int ExpirationSeconds { get; init; } = 600;
    /// <summary>Seconds between attempts after a failure (also after a 403 or a refused password: never given up).</summary>
    public int RetrySeconds { get; init; } = 60;
}

/// <summary>A remote medical secretariat (télésecrétariat) reached by number or SIP URI.</summary>
public sealed record Secretariat
{
    public required Located<string> Id { get; init; }
    public string? Name { get; init; }
    /// <summary>E.164 number, when reached through a trunk.</summary>
    public string? Number { get; init; }
    /// <summary>sip: or sips: URI, when reached directly.</summary>
    public string? Uri { get; init; }
    public Located<string>? Trunk { get; init; }
    /// <summary>Send a Diversion header carrying the practice's number.</summary>
    public bool Diversion { get; init; } = true;
    /// <summary>Send a History-Info header carrying the practice's number.</summary>
    public bool HistoryInfo { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public required SourceLocation At { get; init; }

    /// <summary>What is dialled: the number or the URI.</summary>
    public string Destination => Number ?? Uri ?? "";
}
