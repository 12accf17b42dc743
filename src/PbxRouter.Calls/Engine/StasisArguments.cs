namespace PbxRouter.Calls.Engine;

/// <summary>
/// What the dialplan passes to Stasis() (extensions.conf, from-trunk-called and from-phones-called):
/// kind ("inbound", "phone"; "leg..." for the engine's own outgoing legs), the called number (only [+*#0-9], empty when
/// the trunk sent something else), the caller's CALLERID(pres), and, for a called string that is not a number, what
/// was dialled (URI-encoded). The called number is checked again here: nothing else from the channel is trusted.
/// </summary>
public sealed record StasisArguments(string Kind, string Called, string? Presentation, string? Dialled)
{
    public static StasisArguments Parse(IReadOnlyList<string> args, string? exten)
    {
        var kind = args.Count > 0 ? args[0] : "";
        // Without the argument, the channel's extension: from-trunk-called's own is the number or "unknown".
        var called = UntrustedText.CalledNumber(args.Count > 1 ? args[1] : exten);
        var presentation = args.Count > 2 && args[2].Length > 0 ? args[2] : null;
        var dialled = args.Count > 3 && args[3].Length > 0 ? args[3] : null;
        return new StasisArguments(kind, called, presentation, dialled);
    }

    /// <summary>The extension of the dialplan's fallback context for this call: the number, or "unknown" (extensions.conf).</summary>
    public static string FallbackExtension(string called) => called.Length > 0 ? called : "unknown";
}
