namespace PbxRouter.Store;

/// <summary>
/// Told about each call record write as it is queued (before it is committed), in the order the call wrote it: live call
/// events (CTI) follow the calls from here. Called on the call's own path: keep it cheap and never throw nor wait.
/// </summary>
public interface ICallRecordListener
{
    /// <summary>A call entered the engine (<paramref name="resumed"/>: taken over after an engine restart).</summary>
    void Started(CallRecordStart start, bool resumed);

    /// <summary>A step of a call, stamped with the writer's clock.</summary>
    void Step(string callId, DateTimeOffset at, string kind, string? target, string? detail);

    /// <summary>The end of a call, stamped with the writer's clock.</summary>
    void Ended(string callId, DateTimeOffset at, string outcome, string? answeredBy, string? hungUpBy);
}
