namespace PbxRouter.Routing.Model;

/// <summary>Everything read from the rules files: shared trunks and secretariats, and the practices.</summary>
public sealed record RulesModel(IReadOnlyList<Trunk> Trunks, IReadOnlyList<Secretariat> Secretariats, IReadOnlyList<Practice> Practices);

/// <summary>A SIP trunk to the operator: it either registers (username + password from the environment) or is identified by IP.</summary>
public sealed record Trunk
{
    public required Located<string> Id { get; init; }
    public string? Name { get; init; }
    public required string Host { get; init; }
    public string Transport { get; init; } = "udp";
    public TrunkRegistration? Registration { get; init; }
    public IReadOnlyList<string> IpAddresses { get; init; } = [];
    public required SourceLocation At { get; init; }
}

/// <summary>Registration credentials of a trunk; the password lives in the named environment variable.</summary>
public sealed record TrunkRegistration(string Username, string PasswordEnv);

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
