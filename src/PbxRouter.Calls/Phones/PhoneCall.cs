using PbxRouter.Ari;
using PbxRouter.Calls.Runtime;

namespace PbxRouter.Calls.Phones;

/// <summary>A call dialled from one of the practices' phones (Stasis args "phone,EXTEN"), on the shared per-call runtime.</summary>
public sealed class PhoneCall(CallServices services, Channel channel, string dialled) : LiveCall(services, channel)
{
    /// <summary>What the phone dialled (the EXTEN of the from-phones context), e.g. "*21".</summary>
    public string Dialled { get; } = dialled;
}
