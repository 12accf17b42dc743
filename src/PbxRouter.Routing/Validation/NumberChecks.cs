using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>A number belongs to one practice; a practice never overflows or forwards to itself; VIPs are not blocked.</summary>
internal static class NumberChecks
{
    public static void Check(RulesModel model, Diagnostics d)
    {
        var owners = new Dictionary<string, (string Owner, SourceLocation At)>(StringComparer.Ordinal);
        foreach (var practice in model.Practices)
        {
            Claim(practice.Numbers, $"practice '{practice.Id.Value}'");
            foreach (var line in practice.Lines) Claim(line.Numbers, $"line '{line.Id.Value}' of practice '{practice.Id.Value}'");
        }

        foreach (var s in model.Secretariats.Where(s => s.Number is not null && owners.ContainsKey(s.Number)))
            d.Error(s.At with { Field = s.At.Field + ".number" }, RuleErrorCodes.DuplicateNumber,
                $"secretariat '{s.Id.Value}' has the number of {owners[s.Number!].Owner}: overflowing to it would loop.",
                "use the number the provider gave you, not the practice's");

        foreach (var practice in model.Practices)
        {
            foreach (var (_, rules) in RulesValidator.Effective(practice))
                foreach (var c in rules.Escalation?.Contacts ?? [])
                    if (owners.ContainsKey(c.Number))
                        d.Error(c.At with { Field = c.At.Field + ".number" }, RuleErrorCodes.DuplicateNumber,
                            $"escalation contact {PhoneNumbers.ToNational(c.Number)} is a number of {owners[c.Number].Owner}: it would loop.",
                            "use the practitioner's mobile");
            // A number may be listed in two VIP entries (the first one applies, as in CompiledLine).
            var vips = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
            foreach (var n in practice.Callers.Vip.SelectMany(v => v.Numbers)) vips.TryAdd(n.Value, n.At);
            foreach (var b in practice.Callers.Blocked.Where(b => vips.ContainsKey(b.Number.Value)))
                d.Error(b.Number.At, RuleErrorCodes.DuplicateNumber, $"{PhoneNumbers.ToNational(b.Number.Value)} is both blocked and a VIP (VIP at {vips[b.Number.Value].Short}).",
                    "remove it from one of the two lists");
        }

        void Claim(IEnumerable<Located<string>> numbers, string owner)
        {
            foreach (var n in numbers)
            {
                if (owners.TryGetValue(n.Value, out var first))
                    d.Error(n.At, RuleErrorCodes.DuplicateNumber,
                        $"{PhoneNumbers.ToNational(n.Value)} ({n.Value}) is already assigned to {first.Owner} at {first.At.Short}.",
                        "a number can reach only one practice or line; remove one of the two");
                else owners[n.Value] = (owner, n.At);
            }
        }
    }
}
