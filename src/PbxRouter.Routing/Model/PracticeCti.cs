namespace PbxRouter.Routing.Model;

/// <summary>
/// A practice's `cti:` block: its live call events are POSTed to <see cref="Webhook"/> (https), signed with the secret in the
/// engine's environment variable <see cref="SecretEnv"/>; callers' numbers in full only when <see cref="CallerNumbers"/>.
/// </summary>
public sealed record PracticeCti(string Webhook, string SecretEnv, bool CallerNumbers, SourceLocation At);
