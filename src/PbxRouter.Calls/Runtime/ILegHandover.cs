namespace PbxRouter.Calls.Runtime;

/// <summary>
/// Hands a leg over from the call that owns it to another call (an attended transfer takes the doctor's leg from the
/// secretary's consultation call into the patient's call). Implemented by the call engine.
/// </summary>
public interface ILegHandover
{
    /// <summary>The call owning <paramref name="legId"/> (other than <paramref name="toCall"/>) forgets it; false when none owns it as a leg.</summary>
    bool Release(string legId, string toCall);
}
