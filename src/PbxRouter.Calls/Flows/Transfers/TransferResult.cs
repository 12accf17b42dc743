namespace PbxRouter.Calls.Flows.Transfers;

/// <summary>How a transfer asked by the phone on the call ended.</summary>
public abstract record TransferResult
{
    private TransferResult()
    {
    }

    /// <summary>The patient now talks to <paramref name="Connection"/>'s phone; the secretary's leg is gone.</summary>
    public sealed record Transferred(StepOutcome.Connected Connection) : TransferResult;

    /// <summary>The transfer failed; the patient is still bridged with the secretary, whose phone was told so.</summary>
    public sealed record Kept : TransferResult;

    /// <summary>The transfer failed and the secretary had hung up meanwhile: the patient goes back to the plan.</summary>
    public sealed record BackToPlan : TransferResult;

    /// <summary>The patient hung up during the transfer.</summary>
    public sealed record CallerGone : TransferResult;
}
