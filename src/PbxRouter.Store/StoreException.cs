namespace PbxRouter.Store;

/// <summary>A store failure with a message an operator can act on (locked, missing schema, not found...).</summary>
public class StoreException : Exception
{
    public StoreException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The database was migrated by a newer pbxrouter than this one.</summary>
public sealed class StoreSchemaTooNewException(int databaseVersion, int knownVersion)
    : StoreException($"database schema version {databaseVersion} is newer than this pbxrouter (knows {knownVersion}): upgrade pbxrouter")
{
    public int DatabaseVersion { get; } = databaseVersion;
    public int KnownVersion { get; } = knownVersion;
}

/// <summary>A rules version number that was never applied.</summary>
public sealed class RulesVersionNotFoundException(int version, int latest)
    : StoreException(latest == 0
        ? $"rules version {version} does not exist: no rules have been applied yet"
        : $"rules version {version} does not exist (versions are 1 to {latest}): see `pbxrouter rules history`")
{
    public int Version { get; } = version;
}

/// <summary>A call step or end was written for a call id that has no call record.</summary>
public sealed class CallRecordNotFoundException(string callId)
    : StoreException($"call {callId} has no call record: StartCallAsync must be called before steps or end")
{
    public string CallId { get; } = callId;
}
