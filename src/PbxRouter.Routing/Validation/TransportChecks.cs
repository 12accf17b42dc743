using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>
/// The SIP transports Asterisk offers, as the settings say (the caller reads them: the routing domain does no I/O).
/// A transport that is missing gives the reason and the fix, e.g. "no TLS certificate is configured".
/// </summary>
public sealed record SipTransports(string? TcpMissing = null, string? TlsMissing = null, string? TlsFix = null)
{
    /// <summary>Why <paramref name="transport"/> cannot be used (null: it can).</summary>
    public string? Missing(string transport) => transport switch { "tcp" => TcpMissing, "tls" => TlsMissing, _ => null };
}

/// <summary>Trunks on a transport Asterisk does not offer are refused here, never downgraded to UDP later.</summary>
internal static class TransportChecks
{
    public static void Check(RulesModel model, SipTransports transports, Diagnostics d)
    {
        foreach (var trunk in model.Trunks)
        {
            if (transports.Missing(trunk.Transport) is not { } why) continue;
            var at = trunk.TransportAt ?? trunk.At;
            var fix = trunk.Transport == "tls" && transports.TlsFix is { } f ? f
                : $"configure the {trunk.Transport.ToUpperInvariant()} transport (docs/network.md), or write transport: udp";
            d.Error(at, RuleErrorCodes.UnavailableTransport, $"trunk '{trunk.Id.Value}' uses transport {trunk.Transport}, but {why}.", fix);
        }
    }

    /// <summary>A registration whose contact user is no practice's number brings calls nobody can route: say so.</summary>
    public static void CheckContactUsers(RulesModel model, Diagnostics d)
    {
        var numbers = model.Practices.SelectMany(p => p.Numbers.Select(n => n.Value).Concat(p.Lines.SelectMany(l => l.Numbers.Select(n => n.Value))))
            .ToHashSet(StringComparer.Ordinal);
        Span<char> buffer = stackalloc char[32];
        foreach (var trunk in model.Trunks)
        {
            if (trunk.Registration is not { } reg || reg.ContactUserAt is not { } at) continue;
            var known = reg.ContactUser.Length <= 24 && PhoneNumbers.TryNormalize(reg.ContactUser, buffer, lenient: true, out var length)
                        && numbers.Contains(buffer[..length].ToString());
            if (!known)
                d.Warn(at, RuleErrorCodes.UnroutableRegistration,
                    $"calls on the registration of trunk '{trunk.Id.Value}' arrive at '{reg.ContactUser}', which is no practice's number: they would be refused.",
                    "set registration.contact_user to the number of the practice this registration is for, e.g. contact_user: \"+33145000000\"");
        }
    }
}
