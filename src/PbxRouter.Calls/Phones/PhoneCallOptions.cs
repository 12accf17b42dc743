namespace PbxRouter.Calls.Phones;

/// <summary>Settings of the calls the practices' phones make (section "Phones" of the configuration).</summary>
public sealed class PhoneCallOptions
{
    /// <summary>How long an outside number rings before the phone is told it cannot be reached.</summary>
    public TimeSpan OutsideRingTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long another phone of the practice rings before its voicemail (or a message) takes the call.</summary>
    public TimeSpan InternalRingTime { get; set; } = TimeSpan.FromSeconds(20);
}
