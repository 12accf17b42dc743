namespace PbxRouter.Routing.Model;

/// <summary>
/// Which outside numbers a practice's phones may dial through its trunk (YAML <c>outgoing:</c>). Emergency numbers are not
/// part of it: they always go out.
/// </summary>
/// <param name="National">French fixed, non-geographic and free/shared-cost numbers (01-05, 09, 080-088), overseas departments included.</param>
/// <param name="Mobiles">French mobiles (06, 07).</param>
/// <param name="International">Numbers of other countries (+44..., 0044...).</param>
/// <param name="Premium">Premium-rate numbers (08 9x) and short numbers (3949, 118 712, 10xx...).</param>
public sealed record OutgoingPolicy(bool National, bool Mobiles, bool International, bool Premium, SourceLocation? At = null)
{
    /// <summary>Without <c>outgoing:</c>: national numbers and mobiles, nothing that costs more.</summary>
    public static OutgoingPolicy Default { get; } = new(National: true, Mobiles: true, International: false, Premium: false);

    /// <summary>The YAML field that allows <paramref name="kind"/>, and whether it does.</summary>
    public (string Field, bool Allowed) For(NumberKind kind) => kind switch
    {
        NumberKind.National => ("national", National),
        NumberKind.Mobile => ("mobiles", Mobiles),
        NumberKind.International => ("international", International),
        NumberKind.Premium => ("premium", Premium),
        NumberKind.Emergency => ("emergency numbers always", true),
        _ => ("not a phone number", false),
    };
}
