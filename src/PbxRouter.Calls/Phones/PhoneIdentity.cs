using PbxRouter.Ari;

namespace PbxRouter.Calls.Phones;

/// <summary>Which practice's phone a channel comes from, read from the endpoint's PBX_PRACTICE / PBX_PHONE variables (set by provisioning).</summary>
public sealed record PhoneIdentity(string PracticeId, string PhoneId)
{
    public const string PracticeVariable = "PBX_PRACTICE", PhoneVariable = "PBX_PHONE";

    /// <summary>The phone behind the channel, or null for anything that is not a provisioned phone (e.g. the trunk).</summary>
    public static async Task<PhoneIdentity?> OfAsync(AriClient ari, string channelId, CancellationToken ct)
    {
        // Only phone endpoints carry these variables (pjsip set_var); a caller from the trunk has none and gets nothing.
        var practice = await ari.Channels.GetVariableAsync(channelId, PracticeVariable, ct).ConfigureAwait(false);
        var phone = await ari.Channels.GetVariableAsync(channelId, PhoneVariable, ct).ConfigureAwait(false);
        return string.IsNullOrEmpty(practice) || string.IsNullOrEmpty(phone) ? null : new PhoneIdentity(practice, phone);
    }
}
