namespace PbxRouter.Store;

/// <summary>Told about the database's writes (metrics). Called after each commit, off the calls' path; keep it cheap.</summary>
public interface IStoreObserver
{
    /// <summary>A write transaction committed: <paramref name="writer"/> is "call_records" (a batch of the call record writer) or "transaction" (any other).</summary>
    void Wrote(string writer, TimeSpan elapsed);

    /// <summary>A call record was finished (its end committed); <paramref name="practiceId"/> null for a call of no practice.</summary>
    void CallFinished(string? practiceId, string outcome);
}
