using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>Reads a practice's `cti: { webhook, secret_env, caller_numbers }` (docs/cti.md).</summary>
internal static class CtiReader
{
    public static PracticeCti? Read(MapReader practice)
    {
        if (practice.Map("cti", "the live call events (CTI) webhook", YamlKeys.Cti) is not { } r) return null;
        var hook = r.Scalar("webhook", required: true, hint: "e.g. webhook: https://agenda.example.fr/pbx/events");
        var secret = r.EnvName("secret_env", required: true);
        var callerNumbers = r.Bool("caller_numbers", false);
        if (hook is not { } h || secret is not { } s) return null;
        if (!Uri.TryCreate(h.Value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            r.Ctx.Diagnostics.Error(h.At, RuleErrorCodes.InvalidValue, $"'{h.Value}' is not an https URL.",
                "call events name patients' numbers and the practice's activity: webhooks must use https://");
            return null;
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            r.Ctx.Diagnostics.Error(h.At, RuleErrorCodes.SecretInYaml, "the webhook URL holds a user name or password.",
                "remove it: the events are authenticated by their signature (secret_env)");
            return null;
        }
        return new PracticeCti(h.Value, s.Value, callerNumbers, r.At);
    }
}
