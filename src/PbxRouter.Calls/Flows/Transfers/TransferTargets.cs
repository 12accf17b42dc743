using PbxRouter.Calls.Provisioning;
using PbxRouter.Routing;
using PbxRouter.Routing.Model;

namespace PbxRouter.Calls.Flows.Transfers;

/// <summary>
/// The phones a secretary may transfer a patient to: the phones of the call's own practice only (never another
/// practice's), named by what the phone put in its REFER.
/// </summary>
public static class TransferTargets
{
    /// <summary>
    /// The practice's phone a blind transfer names (the user part of Refer-To): its extension (`extension:` in the rules),
    /// its id, or its endpoint name (PRACTICE.PHONE); null when no phone of the practice is named so.
    /// </summary>
    public static Phone? Find(CompiledRules? rules, string? practiceId, string? destination)
    {
        if (rules is null || practiceId is null || string.IsNullOrWhiteSpace(destination)) return null;
        var practice = rules.Model.Practices.FirstOrDefault(p => p.Id.Value == practiceId);
        if (practice is null) return null;
        var wanted = destination.Trim();
        if (wanted.StartsWith(practiceId + ".", StringComparison.Ordinal)) wanted = wanted[(practiceId.Length + 1)..];
        return practice.Phones.FirstOrDefault(p => p.Extension?.Value == wanted)
               ?? practice.Phones.FirstOrDefault(p => string.Equals(p.Id.Value, wanted, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The phone id of a channel to one of the practice's phones (PJSIP/tilleuls.dr-martin-00000012), or null when the
    /// channel is not one of this practice's phones (another practice's, a trunk's).
    /// </summary>
    public static string? PhoneOfChannel(CompiledRules? rules, string? practiceId, string channelName)
    {
        if (rules is null || practiceId is null) return null;
        var practice = rules.Model.Practices.FirstOrDefault(p => p.Id.Value == practiceId);
        return practice?.Phones.Select(p => p.Id.Value)
            .FirstOrDefault(id => channelName.StartsWith($"PJSIP/{PjsipConfig.PhoneEndpoint(practiceId, id)}-", StringComparison.Ordinal));
    }
}
